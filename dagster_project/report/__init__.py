"""What users see: the HTML report, the docs site and the Parquet export.

- render.render_reports(warehouse_path, out_dir, reports_dir=None) -> list[Path]
  (queries.py reads the warehouse, pages.py builds pages from templates/, writing.py writes them;
  labels.py: Swedish labels from seeds/swedish_labels.csv; charts.py: inline SVG)
- docs_site.build_docs(out_dir, ...) -> Path
- export.export_parquet(warehouse_path, out_dir) -> list[Path]

`python -m dagster_project.report {report,docs,export}` runs them on the configured paths.
"""
