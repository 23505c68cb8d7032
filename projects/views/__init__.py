"""The projects app's pages: projects and their records (projects.py), workbook uploads (uploads.py),
and one module for each further group of records."""
