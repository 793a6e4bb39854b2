"""Bulk awards: read a gradebook (CSV or XLSX, our template or a Moodle or Canvas export),
preview it row by row, and award, revoke or re-issue in chunks run as jobs."""
