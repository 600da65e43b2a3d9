CREATE TABLE types (
  id integer NOT NULL, small smallint, big bigint, int_null integer, num numeric(12,3), real_v real,
  dbl double precision, flag boolean, flag_null boolean, day date, ts timestamp, tstz timestamptz,
  label text, vc varchar(20), note text, doc jsonb, tags integer[], empty_col text);
INSERT INTO types VALUES
  (1, 7, 9007199254740993, 10, 12.345, 1.1, 0.1, true, true, '2024-01-31', '2024-01-31 13:45:00', '2024-01-31 13:45:00+02',
   'alpha', 'x,y', 'a "quoted" note', '{"a": 1, "b": [1, 2]}', '{1,2,3}', NULL),
  (2, -3, -42, NULL, -0.5, -2.5, 1e300, false, NULL, '1999-12-31', '1999-12-31 23:59:59.123456', '1999-12-31 23:00:00-05',
   'beta', 'line
break', NULL, '[1, "two"]', '{}', NULL),
  (3, 0, 0, 30, 1000000.001, 3.25, -7.75, true, false, NULL, NULL, NULL, 'NA', 'é ü 中', 'null', 'null', NULL, NULL);
CREATE VIEW cheap AS SELECT id, label FROM types WHERE id < 3;
CREATE TABLE secret_salaries (person text, salary numeric);
INSERT INTO secret_salaries VALUES ('ann', 100);
CREATE TABLE orders (order_id integer PRIMARY KEY, customer text, amount numeric(10,2), placed date);
INSERT INTO orders SELECT g, 'c' || (g % 7), g * 1.5, DATE '2024-01-01' + (g % 300) FROM generate_series(1, 500) g;
CREATE TABLE big (id bigint, a integer, b double precision, c text, d date, e boolean, f numeric(10,2), g bigint,
  h text, i timestamp);
INSERT INTO big SELECT g, g % 1000, g * 0.5, 'row ' || (g % 5000), DATE '2020-01-01' + (g % 1000), g % 2 = 0,
  (g % 10000) / 100.0, g * 3, md5((g % 100)::text), TIMESTAMP '2020-01-01' + g * INTERVAL '1 second'
  FROM generate_series(1, 1000000) g;
ANALYZE;
