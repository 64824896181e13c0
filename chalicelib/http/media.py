"""Media types the app sends or receives besides JSON and HTML."""

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
PNG_TYPE = "image/png"
SVG_TYPE = "image/svg+xml"
# Bodies API Gateway must pass through as bytes (base64 inside the Lambda event), in both directions.
BINARY_TYPES = (XLSX_TYPE, PNG_TYPE)
