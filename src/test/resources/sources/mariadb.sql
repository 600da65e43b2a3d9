CREATE TABLE types (
  id INT NOT NULL, small SMALLINT, big BIGINT, int_null INT, num DECIMAL(12,3), real_v FLOAT, dbl DOUBLE,
  flag BOOLEAN, day DATE, ts DATETIME(6), tstz TIMESTAMP(6) NULL, label TEXT, vc VARCHAR(20), note TEXT,
  doc JSON, empty_col TEXT);
INSERT INTO types VALUES
  (1, 7, 9007199254740993, 10, 12.345, 1.1, 0.1, TRUE, '2024-01-31', '2024-01-31 13:45:00', '2024-01-31 11:45:00',
   'alpha', 'x,y', 'a "quoted" note', '{"a": 1, "b": [1, 2]}', NULL),
  (2, -3, -42, NULL, -0.5, -2.5, 1e300, FALSE, '1999-12-31', '1999-12-31 23:59:59.123456', '2000-01-01 04:00:00',
   'beta', 'line\nbreak', NULL, '[1, "two"]', NULL),
  (3, 0, 0, 30, 1000000.001, 3.25, -7.75, TRUE, NULL, NULL, NULL, 'NA', 'é ü 中', 'null', 'null', NULL);
CREATE TABLE orders (order_id INT PRIMARY KEY, customer TEXT, amount DECIMAL(10,2), placed DATE);
INSERT INTO orders SELECT seq, CONCAT('c', seq % 7), seq * 1.5, DATE '2024-01-01' + INTERVAL (seq % 300) DAY FROM seq_1_to_500;
CREATE TABLE big (id BIGINT, a INT, b DOUBLE, c TEXT, d DATE, e BOOLEAN, f DECIMAL(10,2), g BIGINT, h TEXT, i DATETIME);
INSERT INTO big SELECT seq, seq % 1000, seq * 0.5, CONCAT('row ', seq % 5000), DATE '2020-01-01' + INTERVAL (seq % 1000) DAY,
  seq % 2 = 0, (seq % 10000) / 100.0, seq * 3, MD5(seq % 100), TIMESTAMP '2020-01-01 00:00:00' + INTERVAL seq SECOND
  FROM seq_1_to_1000000;
