"""Programme catalogues as tables (CSV, XLSX): one row is one programme.

Headers are matched to the template's columns by name, by common English and German variants
("Credits", "ECTS-Punkte", "Workload (h)"), or by a column mapping the caller gives
(``{"title": ["Kurstitel", "Nombre del curso"]}``). Text columns may carry a language
("Title (de)", "title_fi"); otherwise texts are in the row's text language.

- ``columns``: the template's columns, what goes in each, the headers accepted for it.
- ``programmes``: what reading gives: programmes, their providers, and the rows not read.
- ``headers``: matching a file's header row to the columns (and the caller's mapping).
- ``reading``: a table's rows to programmes, with a ``RowProblem`` for every row not read.
- ``document``: one row's cells to a specification document; ``cells``: reading one cell.
- ``template``: the template as CSV and as a workbook.

Nothing here opens a file: ``services.mapping.importing`` opens it and hands over the stream.
"""
