-- The tables of migrations 0001-0002 took their times from SQLite's own
-- clock by default (`DEFAULT (strftime(..., 'now'))`); every statement has
-- given them the API's one clock since 0012, and the database has no
-- clock of its own from here: the defaults go, by the procedure SQLite's
-- documentation gives for changing a column's default ("ALTER TABLE",
-- section 7: the table's SQL edited in sqlite_schema, the schema version
-- changed so every connection reads it again). Rows are not touched.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, ' DEFAULT (strftime(''%Y-%m-%dT%H:%M:%SZ'', ''now''))', '')
 WHERE type = 'table' AND sql LIKE '%strftime%';
PRAGMA writable_schema = OFF;
PRAGMA schema_version = 140014;
