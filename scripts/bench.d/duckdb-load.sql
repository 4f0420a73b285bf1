-- The work crmq does when it loads a snapshot, asked of DuckDB: read both CSV files,
-- then per customer revenue, margin, orders, first and last purchase and distinct purchase
-- days; then the same filters and group-by crmq is timed on.
CREATE TABLE customers AS SELECT * FROM read_csv('DIR/customers.csv', header = true, types = {'id': 'VARCHAR'});
CREATE TABLE transactions AS SELECT * FROM read_csv('DIR/transactions.csv', header = true,
    types = {'customer_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE', 'margin': 'DOUBLE'});
CREATE TABLE figures AS
SELECT c.id, c.region, coalesce(t.orders, 0) AS orders, coalesce(t.revenue, 0) AS revenue,
       coalesce(t.margin, 0) AS margin, t.first_purchase, t.last_purchase, t.days
FROM customers c LEFT JOIN (
    SELECT customer_id, count(*) AS orders, sum(amount) AS revenue, sum(margin) AS margin,
           min(date) AS first_purchase, max(date) AS last_purchase, count(DISTINCT date) AS days
    FROM transactions GROUP BY customer_id) t ON t.customer_id = c.id;
SELECT count(*) FROM figures WHERE revenue > 1000;
SELECT count(*) FROM figures WHERE orders >= 5 AND revenue / orders > 30;
SELECT region, count(*), sum(revenue), sum(margin) FROM figures GROUP BY region ORDER BY region;
