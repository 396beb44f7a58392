"""Importing the registry from an .xlsx: read the sheet, dry run, keep the file, confirm, write.

Modules, in the order a file goes through them: `workbook` (is it a safe workbook; find the
header and the data rows), `rows` (read and check one row), `dryrun` (ids, duplicates, the
fate of every row), `keeping` (the file waiting for its confirm), `writing` (one transaction).

The importer takes what `/awards/export.xlsx` writes and tolerates a hand-kept book: title
rows (merged or not), blank rows, headers in any order and spelling of case, diacritics and
spaces, dates typed as text, amounts with dots, names in NFD, trailing total rows.

Every row goes through `records.check()`, the rules the web form uses. The dry run writes
nothing; the file waits under UPLOAD_DIR/imports/, named by a signed token, until the secretary
confirms, with the dry run's reading of it (`parsed`: JSON, never pickle). The confirm checks
every row again (reusing that reading, or reading the file again without it) and writes every
new row in one transaction, or none. A long dry run or confirm reports how far it has got
(`progress`). Work is done in batches (one query per 500 rows for duplicates), never
one query per row.
"""
