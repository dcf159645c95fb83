-- The program's name in each language the operator named it in
-- (`enroll-api program name --locale zh-CN --name …`); program_settings'
-- program_name is the name where none is given.
CREATE TABLE program_names (
    locale  TEXT PRIMARY KEY,
    name    TEXT NOT NULL
);

-- The vendor's own Chinese name for the program.
INSERT INTO program_names (locale, name) VALUES ('zh-CN', '云解决方案提供商计划');
