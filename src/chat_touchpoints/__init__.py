"""chat-touchpoints: deduplicated chat touchpoints and Sales Insight chat activities."""

__version__ = "0.1.0"
