"""Rule-based extraction of quotations, speakers, dates and countries from pasted news articles."""

from .extractor import extract
from .records import Extraction, Quotation, Speaker

__all__ = ["Extraction", "Quotation", "Speaker", "extract"]
