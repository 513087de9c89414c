"""Spreadsheet safety: text a spreadsheet would run as a formula never reaches one as such.

Exports prefix such a cell with a quote; imports refuse it. XLSX needs neither: Wagtail
writes every text cell of an XLSX export as text, never as a formula.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell: formula-looking text prefixed with a quote, anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def looks_like_formula(text: str) -> bool:
    """Whether imported text starts like a formula, before or after its surrounding spaces."""
    return text.startswith(FORMULA_PREFIXES) or text.strip().startswith(FORMULA_PREFIXES)


class FormulaSafeExportMixin:
    """For Wagtail's spreadsheet exports (``SpreadsheetExportMixin``): CSV cells made safe."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return csv_cell(value)
        return value
