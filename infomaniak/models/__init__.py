"""Typed models of the API's answers (attrs classes), grouped by API section."""
