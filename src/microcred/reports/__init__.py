"""Reports: charts drawn as SVG (and redrawn in PDF), the mapping report as HTML and PDF, and
its tables as CSV and XLSX."""
