#!/usr/bin/python3
"""The offline analyst's question set, with every expected answer computed here, independently, with pandas.

Questions are phrased the way people type them (typos, follow-ups that lean on the previous question, "whats",
lower case); each one's expectation is written by hand as plain pandas over the same file the test uploads, without
looking at the code the analyst generates. OfflineQuestionSetTest (src/test/java/io/llmanalytics/analyst/offline) runs this
script, uploads each table, asks the questions in order through POST /api/session/{id}/analyze (JSON) with the
offline analyst, and compares each answer's raw_result with the expectation here.

Expectation kinds (labels are written as the worker writes them: str for text, '1' for ints, '1.0' for floats,
'2024-01' for months):
  number   {value}                   the result is this number
  mapping  {value: {label: number}}  the result is a series with exactly these labels and values (any order)
  first    {labels: [...]}           the result is a series whose first labels are these, in this order
  first_in {labels: [...]}           the result is a series whose first label is one of these (ties)
  rows     {column, values}          the result is a table whose first rows have these values in `column`
  row_in   {column, values}          the result's first row has one of these values in `column` (ties)
  keys     {values}                  the result is a series with exactly these labels
  refuse   {}                        the question cannot be answered without guessing: it must be refused

Each question has a batch: 0 for the set the analyst was developed with, 1 and 2 for the held-out batches (written
before their first run; the report states their figures), 3 for issue 14's held-out set and 4 for the hunt batch
written after fixing batch 3's misses (both reported on their own, not gated; first-run figures in their comments).

Run:  /usr/bin/python3 src/test/python/offline_questions.py <sales.csv>   (prints JSON on stdout)
"""
import json
import math
import os
import sys
from datetime import timedelta

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import offline_tables  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..', 'shared', 'corpus'))
if not os.path.isdir(CORPUS):
    CORPUS = '/work/shared/corpus'
TABLES = os.path.join(CORPUS, 'dabench', 'tables')


def label(v):
    if isinstance(v, tuple):
        return '(' + ', '.join(label(p) for p in v) + ')'
    if isinstance(v, (bool, np.bool_)):
        return json.dumps(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return json.dumps(float(v))
    return str(v)


def num(v):
    v = float(v)
    return None if math.isnan(v) else v


def number(v):
    return {'kind': 'number', 'value': num(v)}


def mapping(series):
    return {'kind': 'mapping', 'value': {label(k): num(v) for k, v in series.items()}}


def first(labels):
    return {'kind': 'first', 'labels': [label(x) for x in labels]}


def rows(column, values):
    return {'kind': 'rows', 'column': column, 'values': [num(v) if isinstance(v, (int, float, np.number)) else v
                                                         for v in values]}


def first_in(labels):
    return {'kind': 'first_in', 'labels': sorted(label(x) for x in labels)}


def tied_max(counts):
    return first_in(counts[counts == counts.max()].index)


def row_in(column, values):
    return {'kind': 'row_in', 'column': column,
            'values': sorted(set(v.item() if isinstance(v, np.generic) else v for v in values))}


def keys(values):
    return {'kind': 'keys', 'values': sorted(label(v) for v in values)}


REFUSE = {'kind': 'refuse'}


def read(name, **options):
    return pd.read_csv(os.path.join(TABLES, name), **options)


def sales(path):
    df = pd.read_csv(path, parse_dates=['date'])
    month = df['date'].dt.strftime('%Y-%m')
    y2024 = df[df['date'].dt.year == 2024]
    quarter = df['date'].dt.year.astype(str) + 'Q' + df['date'].dt.quarter.astype(str)
    by_product = df.groupby('product')['revenue'].sum().sort_values(ascending=False)
    furniture = df[df['category'] == 'Furniture']
    return [
        ("What's the total revenue by category?", mapping(df.groupby('category')['revenue'].sum())),
        ("and for Furniture?", number(furniture['revenue'].sum())),
        ("now by region", mapping(furniture.groupby('region')['revenue'].sum())),
        ("show that as a chart", mapping(furniture.groupby('region')['revenue'].sum()), True),
        ("How many orders were placed in 2024?", number(len(y2024))),
        ("monthly revenue trend in 2024", mapping(y2024.groupby(y2024['date'].dt.strftime('%Y-%m'))['revenue'].sum())),
        ("Which month had the highest revenue?", first([df.groupby(month)['revenue'].sum().idxmax()])),
        ("Top 3 products by revenue", first(list(by_product.index[:3]))),
        ("What is the average price of products in Electronics?",
         number(df.loc[df['category'] == 'Electronics', 'price'].mean())),
        ("How many different products do we sell?", number(df['product'].nunique())),
        ("what percent of revenue comes from the North region?",
         number(df.loc[df['region'] == 'North', 'revenue'].sum() / df['revenue'].sum() * 100)),
        ("total quantity sold per region", mapping(df.groupby('region')['quantity'].sum())),
        ("whats the avg revenue per order?", number(df['revenue'].mean())),
        ("total revenue for Laptop", number(df.loc[df['product'] == 'Laptop', 'revenue'].sum())),
        ("How many orders had a quantity of more than 10?", number((df['quantity'] > 10).sum())),
        ("median quantity by catgory", mapping(df.groupby('category')['quantity'].median())),
        ("Show revenue by quarter as a bar chart", mapping(df.groupby(quarter)['revenue'].sum()), True),
        ("How many rows are there?", number(len(df))),
        ("revenue by category and region", mapping(df.groupby(['category', 'region'])['revenue'].sum())),
        ("what is the total reveune in the West?", number(df.loc[df['region'] == 'West', 'revenue'].sum())),
        ("Which category has the most orders?", first([df['category'].value_counts().idxmax()])),
        ("average revenue of Headphones orders in the South",
         number(df.loc[(df['product'] == 'Headphones') & (df['region'] == 'South'), 'revenue'].mean())),
        ("which region sold the least?", REFUSE),
        ("Why did revenue drop in March?", REFUSE),
        ("Predict next month's revenue", REFUSE),
    ]


def titanic():
    df = read('titanic.csv')
    first_class = df[df['Pclass'] == 1]
    return [
        ("fare by class", REFUSE),
        ("How many passengers survived?", number((df['Survived'] == 1).sum())),
        ("What's the survival rate by class?", mapping(df.groupby('Pclass')['Survived'].mean() * 100)),
        ("average age of passengers who did not survive", number(df.loc[df['Survived'] == 0, 'Age'].mean())),
        ("how many female passengers were there?", number((df['Sex'] == 'female').sum())),
        ("Who paid the highest fare?", row_in('Name', df.loc[df['Fare'] == df['Fare'].max(), 'Name'])),
        ("Which columns have missing values?", mapping(df.isna().sum())),
        ("correlation between age and fare", number(df['Age'].corr(df['Fare']))),
        ("What is the avrage fare?", number(df['Fare'].mean())),
        ("median fare by sex", mapping(df.groupby('Sex')['Fare'].median())),
        ("how many passengers are older than 60?", number((df['Age'] > 60).sum())),
        ("what percentage of passengers were female?", number((df['Sex'] == 'female').mean() * 100)),
        ("what is the total fare paid by passengers in 1st class?", number(first_class['Fare'].sum())),
        ("and in 3rd class?", number(df.loc[df['Pclass'] == 3, 'Fare'].sum())),
    ]


def insurance():
    df = read('insurance.csv')
    return [
        ("average charges by smoker", mapping(df.groupby('smoker')['charges'].mean())),
        ("and by region?", mapping(df.groupby('region')['charges'].mean())),
        ("what about the median?", mapping(df.groupby('region')['charges'].median())),
        ("How many people have more than 3 children?", number((df['children'] > 3).sum())),
        ("Which region has the highest average bmi?", first([df.groupby('region')['bmi'].mean().idxmax()])),
        ("median charges for people over 50", number(df.loc[df['age'] > 50, 'charges'].median())),
        ("What's the total charges for females in the southeast?",
         number(df.loc[(df['sex'] == 'female') & (df['region'] == 'southeast'), 'charges'].sum())),
        ("correlation between bmi and charges", number(df['bmi'].corr(df['charges']))),
        ("How many smokers are there in each region?",
         mapping(df[df['smoker'] == 'yes'].groupby('region').size())),
        ("percentage of smokers", number((df['smoker'] == 'yes').mean() * 100)),
        ("medain bmi by region", mapping(df.groupby('region')['bmi'].median())),
    ]


def abalone():
    df = read('abalone.csv')
    return [
        ("What's the average number of rings?", number(df['Rings'].mean())),
        ("average whole weight by sex", mapping(df.groupby('Sex')['Whole weight'].mean())),
        ("what is the max diameter?", number(df['Diameter'].max())),
        ("correlation between length and diameter", number(df['Length'].corr(df['Diameter']))),
        ("how many abalones have more than 20 rings?", number((df['Rings'] > 20).sum())),
        ("What is the weight?", REFUSE),
    ]


def auto_mpg():
    df = read('auto-mpg.csv')
    return [
        ("What's the average mpg by number of cylinders?", mapping(df.groupby('cylinders')['mpg'].mean())),
        ("which model year has the highest average horsepower",
         first([df.groupby('modelyear')['horsepower'].mean().idxmax()])),
        ("how many cars have 8 cylinders?", number((df['cylinders'] == 8).sum())),
        ("corelation between weight and mpg", number(df['weight'].corr(df['mpg']))),
        ("median horsepower of cars with model year after 76",
         number(df.loc[df['modelyear'] > 76, 'horsepower'].median())),
    ]


def credit():
    df = read('Credit.csv')
    students = df[df['Student'] == 'Yes']
    return [
        ("What is the average balance by gender?", mapping(df.groupby('Gender')['Balance'].mean())),
        ("and for students only?", mapping(students.groupby('Gender')['Balance'].mean())),
        ("How many students are there?", number(len(students))),
        ("average income of married people", number(df.loc[df['Married'] == 'Yes', 'Income'].mean())),
        ("which ethnicity has the highest average limit?", first([df.groupby('Ethnicity')['Limit'].mean().idxmax()])),
        ("correlation between limit and rating", number(df['Limit'].corr(df['Rating']))),
        ("How many customers have a balance of 0?", number((df['Balance'] == 0).sum())),
        ("top 5 customers by income", rows('Income', df['Income'].sort_values(ascending=False).head(5))),
    ]


def hotels():
    df = read('hotel_data.csv')
    most_reviews = df[df['review_count'] == df['review_count'].max()]
    return [
        ("How many hotels are there in each city?", mapping(df.groupby('city_name').size())),
        ("Which hotel has the most reviews?", row_in('hotel_name', most_reviews['hotel_name'])),
        ("average star rating by city", mapping(df.groupby('city_name')['star_rating'].mean())),
        ("What's the average bubble score of hotels in Brooklyn?",
         number(df.loc[df['city_name'] == 'Brooklyn', 'bubble_score'].mean())),
        ("how many hotels have a star rating of 5?", number((df['star_rating'] == 5).sum())),
        ("Which hotel types are most common?", first([df['hotel_type'].value_counts().idxmax()])),
        ("which brand is best?", REFUSE),
    ]


def vaccinations():
    df = read('country_vaccinations.csv', parse_dates=['date'])
    week_start = df['date'] - pd.to_timedelta(df['date'].dt.weekday, unit='D')
    week = week_start.dt.strftime('%Y-%m-%d') + '/' + (week_start + timedelta(days=6)).dt.strftime('%Y-%m-%d')
    by_day = df.groupby(df['date'].dt.strftime('%Y-%m-%d'))['daily_vaccinations'].sum()
    return [
        ("Which country had the highest daily vaccinations on average?",
         first([df.groupby('country')['daily_vaccinations'].mean().idxmax()])),
        ("daily vaccinations trend by week", mapping(df.groupby(week)['daily_vaccinations'].sum())),
        ("What is the total number of daily vaccinations in the United States?",
         number(df.loc[df['country'] == 'United States', 'daily_vaccinations'].sum())),
        # one row per country and day: 94 countries over 3,396 rows are categories, so their distinct count
        ("how many countries are in the data?", number(df['country'].nunique())),
        ("how many different countries are in the data?", number(df['country'].nunique())),
        ("Which date had the most daily vaccinations?", first([by_day.idxmax()])),
        ("What's the average people fully vaccinated per hundred in Israel?",
         number(df.loc[df['country'] == 'Israel', 'people_fully_vaccinated_per_hundred'].mean())),
    ]


def happiness():
    df = read('2015.csv')
    return [
        ("Which country has the highest happiness score?",
         row_in('Country', df.loc[df['Happiness Score'] == df['Happiness Score'].max(), 'Country'])),
        ("average happiness score by region", mapping(df.groupby('Region')['Happiness Score'].mean())),
        ("What is the correlation between freedom and happiness score?",
         number(df['Freedom'].corr(df['Happiness Score']))),
        ("top 5 countries by generosity",
         rows('Country', df.sort_values('Generosity', ascending=False, kind='mergesort')['Country'].head(5))),
        ("how many countries are in Western Europe?", number((df['Region'] == 'Western Europe').sum())),
        ("median of Economy (GDP per Capita)", number(df['Economy (GDP per Capita)'].median())),
        ("what's the lowest happiness score in Sub-Saharan Africa?",
         number(df.loc[df['Region'] == 'Sub-Saharan Africa', 'Happiness Score'].min())),
    ]


def gapminder():
    df = read('gapminder_cleaned.csv')
    japan = df[df['country'] == 'japan']
    return [
        ("What was the average life expectancy in 2007?", number(df.loc[df['year'] == 2007, 'lifeexp'].mean())),
        ("Which continent has the highest average gdp per capita?",
         first([df.groupby('continent')['gdppercap'].mean().idxmax()])),
        # one row per country and year: rows per continent or distinct countries per continent, so it is asked
        ("How many countries are there per continent?", REFUSE),
        ("How many distinct countries are there per continent?",
         mapping(df.groupby('continent')['country'].nunique())),
        ("average life expectancy by year for Japan", mapping(japan.groupby('year')['lifeexp'].mean())),
    ]


def baseball():
    df = read('baseball_data.csv')
    return [
        ("What's the average salary?", number(df['salary_in_thousands_of_dollars'].mean())),
        ("correlation between salary and home runs",
         number(df['salary_in_thousands_of_dollars'].corr(df['number_of_home_runs']))),
        ("top 3 players by number of home runs",
         rows('number_of_home_runs', df['number_of_home_runs'].sort_values(ascending=False).head(3))),
        ("average number of hits", number(df['number_of_hits'].mean())),
    ]



def compare(sides):
    """One figure per side, then (for two sides) their difference and, when both are positive, their ratio."""
    out = {label(k): num(v) for k, v in sides}
    if len(sides) == 2:
        a, b = float(sides[0][1]), float(sides[1][1])
        out['difference'] = num(a - b)
        if a > 0 and b > 0:
            out['ratio'] = num(a / b)
    return {'kind': 'mapping', 'value': out}


def ledger_questions(paths):
    df = pd.read_csv(paths['ledger'], parse_dates=['order_date'])
    reps = pd.read_csv(paths['reps'])
    joined = df.merge(reps, on='sales_rep', how='left')
    east, west = df[df['region'] == 'East'], df[df['region'] == 'West']
    tech, furn = df[df['product_category'] == 'Technology'], df[df['product_category'] == 'Furniture']
    y2024 = df[df['order_date'].dt.year == 2024]
    per_order = df.groupby('order_id')['revenue'].sum()
    top_orders = per_order.sort_values(ascending=False)
    return [
        # comparisons
        ("Compare revenue for East vs West", compare([('East', east['revenue'].sum()), ('West', west['revenue'].sum())])),
        ("total revenue East versus West", compare([('East', east['revenue'].sum()), ('West', west['revenue'].sum())])),
        ("compare total revenue between East and West",
         compare([('East', east['revenue'].sum()), ('West', west['revenue'].sum())])),
        ("difference in total revenue between North and South",
         compare([('North', df.loc[df['region'] == 'North', 'revenue'].sum()),
                  ('South', df.loc[df['region'] == 'South', 'revenue'].sum())])),
        ("total revenue for East and West", compare([('East', east['revenue'].sum()), ('West', west['revenue'].sum())])),
        ("average discount for Technology vs Furniture",
         compare([('Technology', tech['discount'].mean()), ('Furniture', furn['discount'].mean())])),
        ("median units Technology vs Furniture",
         compare([('Technology', tech['units'].median()), ('Furniture', furn['units'].median())])),
        ("how many orders in East vs West", compare([('East', len(east)), ('West', len(west))])),
        ("average revenue for East vs West in 2024",
         compare([('East', y2024.loc[y2024['region'] == 'East', 'revenue'].mean()),
                  ('West', y2024.loc[y2024['region'] == 'West', 'revenue'].mean())])),
        ("max unit price for Furniture vs Technology",
         compare([('Furniture', furn['unit_price'].max()), ('Technology', tech['unit_price'].max())])),
        ("total units for North, South and East",
         compare([('North', df.loc[df['region'] == 'North', 'units'].sum()),
                  ('South', df.loc[df['region'] == 'South', 'units'].sum()),
                  ('East', east['units'].sum())])),
        ("total revenue by product_category for East and West",
         mapping(df[df['region'].isin(['East', 'West'])].groupby(['product_category', 'region'])['revenue'].sum())),
        ("compare revenue", REFUSE),
        # rows, not groups
        ("largest single order", first([top_orders.index[0]])),
        ("which order had the highest revenue", first([top_orders.index[0]])),
        ("top 5 orders by revenue", first(list(top_orders.index[:5]))),
        ("median revenue per order", number(per_order.median())),
        ("average revenue per order", number(per_order.mean())),
        ("smallest order", first([per_order.sort_values().index[0]])),
        ("3 lowest orders by revenue", first(list(per_order.sort_values().index[:3]))),
        # nothing dropped
        ("total revenue by customer", REFUSE),
        ("total revenue by store", REFUSE),
        ("total revenue by employee", REFUSE),
        ("average units per customer", REFUSE),
        ("total stock value", REFUSE),
        ("total order value", REFUSE),
        ("average margin by region", REFUSE),
        ("total revenue by team", mapping(joined.groupby('team')['revenue'].sum())),
        ("average units by manager", mapping(joined.groupby('manager')['units'].mean())),
        ("total revenue for the Owls team", number(joined.loc[joined['team'] == 'Owls', 'revenue'].sum())),
        # ordinary
        ("total revenue by region", mapping(df.groupby('region')['revenue'].sum())),
        ("average discount by product category", mapping(df.groupby('product_category')['discount'].mean())),
        ("how many orders had a discount of 0.2?", number((df['discount'] == 0.2).sum())),
        ("how many orders have more than 10 units?", number((df['units'] > 10).sum())),
        ("total revenue in 2023", number(df.loc[df['order_date'].dt.year == 2023, 'revenue'].sum())),
        ("and for 2024 only?", number(y2024['revenue'].sum())),
        ("what about units?", number(y2024['units'].sum())),
        ("total revenue by sales rep", mapping(df.groupby('sales_rep')['revenue'].sum())),
        ("which sales rep has the highest total revenue?",
         first([df.groupby('sales_rep')['revenue'].sum().idxmax()])),
        ("revenue per month in 2024",
         mapping(y2024.groupby(y2024['order_date'].dt.strftime('%Y-%m'))['revenue'].sum())),
        ("how many orders per region", mapping(df.groupby('region').size())),
        ("average unit price for Office Supplies",
         number(df.loc[df['product_category'] == 'Office Supplies', 'unit_price'].mean())),
        ("what is the maximum discount?", number(df['discount'].max())),
        ("total units by region and product category",
         mapping(df.groupby(['region', 'product_category'])['units'].sum())),
        ("which region has the lowest average revenue?", first([df.groupby('region')['revenue'].mean().idxmin()])),
        ("median unit price by category", mapping(df.groupby('product_category')['unit_price'].median())),
        ("how many different sales reps are there?", number(df['sales_rep'].nunique())),
        ("total revenue for Grace Lee", number(df.loc[df['sales_rep'] == 'Grace Lee', 'revenue'].sum())),
        ("average units in the North region", number(df.loc[df['region'] == 'North', 'units'].mean())),
        ("revenue per quarter", mapping(df.groupby(df['order_date'].dt.year.astype(str) + 'Q'
                                                   + df['order_date'].dt.quarter.astype(str))['revenue'].sum())),
        ("why is the West weak?", REFUSE),
        ("forecast revenue for 2025", REFUSE),
    ]


def hr_questions(paths):
    df = pd.read_csv(paths['hr'], parse_dates=['hire_date'])
    eng, sales_ = df[df['department'] == 'Engineering'], df[df['department'] == 'Sales']
    remote, office = df[df['remote'] == 'yes'], df[df['remote'] == 'no']
    return [
        ("average salary by department", mapping(df.groupby('department')['salary'].mean())),
        ("average salary Engineering vs Sales",
         compare([('Engineering', eng['salary'].mean()), ('Sales', sales_['salary'].mean())])),
        ("median salary for Female vs Male",
         compare([('Female', df.loc[df['gender'] == 'Female', 'salary'].median()),
                  ('Male', df.loc[df['gender'] == 'Male', 'salary'].median())])),
        ("average salary for remote vs non-remote employees",
         compare([('remote: yes', remote['salary'].mean()), ('remote: no', office['salary'].mean())])),
        ("how many employees are there?", number(len(df))),
        ("how many employees per department", mapping(df.groupby('department').size())),
        ("which department has the highest average salary?",
         first([df.groupby('department')['salary'].mean().idxmax()])),
        ("average age of employees in Finance", number(df.loc[df['department'] == 'Finance', 'age'].mean())),
        ("total overtime hours by city", mapping(df.groupby('city')['overtime_hours'].sum())),
        ("how many employees are older than 50?", number((df['age'] > 50).sum())),
        ("average performance score by department", mapping(df.groupby('department')['performance_score'].mean())),
        ("correlation between age and salary", number(df['age'].corr(df['salary']))),
        ("how many employees were hired in 2020?", number((df['hire_date'].dt.year == 2020).sum())),
        ("highest salary in Support", number(df.loc[df['department'] == 'Support', 'salary'].max())),
        ("percentage of remote employees", number((df['remote'] == 'yes').mean() * 100)),
        ("average salary in Berlin and Lisbon",
         compare([('Berlin', df.loc[df['city'] == 'Berlin', 'salary'].mean()),
                  ('Lisbon', df.loc[df['city'] == 'Lisbon', 'salary'].mean())])),
        ("total salary by manager", REFUSE),
        ("average salary by team", REFUSE),
        ("average bonus by department", REFUSE),
        ("median salary by gender", mapping(df.groupby('gender')['salary'].median())),
        ("minimum age", number(df['age'].min())),
        ("average overtime hours of remote employees", number(remote['overtime_hours'].mean())),
        ("number of employees hired per year",
         mapping(df.groupby(df['hire_date'].dt.strftime('%Y')).size())),
        ("who is the best employee?", REFUSE),
    ]


def products_questions(paths):
    df = pd.read_json(paths['products'])
    stock_value = df['price'] * df['stock']
    return [
        ("total stock value", number(stock_value.sum())),
        ("total stock value by category", mapping(stock_value.groupby(df['category']).sum())),
        ("average stock value", number(stock_value.mean())),
        ("total stock", number(df['stock'].sum())),
        ("average price by category", mapping(df.groupby('category')['price'].mean())),
        ("how many products are there?", number(len(df))),
        ("how many products per supplier", mapping(df.groupby('supplier').size())),
        ("average price Kitchen vs Garden",
         compare([('Kitchen', df.loc[df['category'] == 'Kitchen', 'price'].mean()),
                  ('Garden', df.loc[df['category'] == 'Garden', 'price'].mean())])),
        ("total stock for Acme and Globex",
         compare([('Acme', df.loc[df['supplier'] == 'Acme', 'stock'].sum()),
                  ('Globex', df.loc[df['supplier'] == 'Globex', 'stock'].sum())])),
        # the product rows with the highest price, ties shown (a table, as issue 14's held-out "cheapest product")
        ("most expensive product", row_in('product_name', df.loc[df['price'] == df['price'].max(), 'product_name'])),
        ("how many products have a stock of 0?", number((df['stock'] == 0).sum())),
        ("average rating by supplier", mapping(df.groupby('supplier')['rating'].mean())),
        ("which category has the highest average rating?", first([df.groupby('category')['rating'].mean().idxmax()])),
        ("median price", number(df['price'].median())),
        ("how many products cost more than 100?", number((df['price'] > 100).sum())),
        ("total profit by category", REFUSE),
        ("average margin", REFUSE),
        ("total sales by category", REFUSE),
        ("correlation between price and rating", number(df['price'].corr(df['rating']))),
        ("top 3 products by stock", rows('stock', df['stock'].sort_values(ascending=False).head(3))),
    ]


def templated():
    """The same shapes of question over more DABench tables: statistics, groupings, comparisons, declines."""
    out = []
    ins = read('insurance.csv')
    tit = read('titanic.csv')
    cred = read('Credit.csv')
    auto = read('auto-mpg.csv')
    happy = read('2015.csv')
    aba = read('abalone.csv')
    out.append(('insurance.csv', [
        ("average charges for smokers vs non-smokers",
         compare([('smoker: yes', ins.loc[ins['smoker'] == 'yes', 'charges'].mean()),
                  ('smoker: no', ins.loc[ins['smoker'] == 'no', 'charges'].mean())])),
        ("average charges for male vs female",
         compare([('male', ins.loc[ins['sex'] == 'male', 'charges'].mean()),
                  ('female', ins.loc[ins['sex'] == 'female', 'charges'].mean())])),
        ("compare average bmi between southeast and northwest",
         compare([('southeast', ins.loc[ins['region'] == 'southeast', 'bmi'].mean()),
                  ('northwest', ins.loc[ins['region'] == 'northwest', 'bmi'].mean())])),
        ("median charges northeast versus southwest",
         compare([('northeast', ins.loc[ins['region'] == 'northeast', 'charges'].median()),
                  ('southwest', ins.loc[ins['region'] == 'southwest', 'charges'].median())])),
        ("how many smokers vs non-smokers", compare([('smoker: yes', (ins['smoker'] == 'yes').sum()),
                                                     ('smoker: no', (ins['smoker'] == 'no').sum())])),
        ("total charges by region", mapping(ins.groupby('region')['charges'].sum())),
        ("average age by sex", mapping(ins.groupby('sex')['age'].mean())),
        ("maximum charges", number(ins['charges'].max())),
        ("average charges by hospital", REFUSE),
        ("average charges by insurer", REFUSE),
        ("total premium by region", REFUSE),
        ("average charges for people with 2 children", number(ins.loc[ins['children'] == 2, 'charges'].mean())),
    ]))
    out.append(('titanic.csv', [
        ("average fare for male vs female",
         compare([('male', tit.loc[tit['Sex'] == 'male', 'Fare'].mean()),
                  ('female', tit.loc[tit['Sex'] == 'female', 'Fare'].mean())])),
        ("average age of survivors vs non-survivors",
         compare([('Survived: yes', tit.loc[tit['Survived'] == 1, 'Age'].mean()),
                  ('Survived: no', tit.loc[tit['Survived'] == 0, 'Age'].mean())])),
        ("total fare by cabin class", REFUSE),
        ("average fare by ticket agent", REFUSE),
        ("how many passengers per class", mapping(tit.groupby('Pclass').size())),
        ("median age by sex", mapping(tit.groupby('Sex')['Age'].median())),
        ("average fare by embarked", mapping(tit.groupby('Embarked')['Fare'].mean())),
        ("max age", number(tit['Age'].max())),
        ("how many passengers are younger than 18?", number((tit['Age'] < 18).sum())),
        ("average fare of passengers older than 40", number(tit.loc[tit['Age'] > 40, 'Fare'].mean())),
    ]))
    out.append(('Credit.csv', [
        ("average balance for students vs non-students",
         compare([('Student: yes', cred.loc[cred['Student'] == 'Yes', 'Balance'].mean()),
                  ('Student: no', cred.loc[cred['Student'] == 'No', 'Balance'].mean())])),
        ("average income Male vs Female",
         compare([('Male', cred.loc[cred['Gender'].str.strip() == 'Male', 'Income'].mean()),
                  ('Female', cred.loc[cred['Gender'] == 'Female', 'Income'].mean())])),
        ("average limit by ethnicity", mapping(cred.groupby('Ethnicity')['Limit'].mean())),
        ("median balance", number(cred['Balance'].median())),
        ("total balance by bank", REFUSE),
        ("how many customers are older than 70?", number((cred['Age'] > 70).sum())),
        ("average rating by number of cards", mapping(cred.groupby('Cards')['Rating'].mean())),
        ("max income", number(cred['Income'].max())),
    ]))
    out.append(('auto-mpg.csv', [
        ("average mpg by origin", mapping(auto.groupby('origin')['mpg'].mean())),
        ("maximum horsepower", number(auto['horsepower'].max())),
        ("average weight by cylinders", mapping(auto.groupby('cylinders')['weight'].mean())),
        ("how many cars have more than 150 horsepower?", number((auto['horsepower'] > 150).sum())),
        ("average mpg by manufacturer", REFUSE),
        ("median acceleration", number(auto['acceleration'].median())),
        ("average price by origin", REFUSE),
        ("correlation between horsepower and weight", number(auto['horsepower'].corr(auto['weight']))),
    ]))
    out.append(('2015.csv', [
        ("average happiness score Western Europe vs North America",
         compare([('Western Europe', happy.loc[happy['Region'] == 'Western Europe', 'Happiness Score'].mean()),
                  ('North America', happy.loc[happy['Region'] == 'North America', 'Happiness Score'].mean())])),
        ("average freedom by region", mapping(happy.groupby('Region')['Freedom'].mean())),
        ("how many countries per region", mapping(happy.groupby('Region').size())),
        ("maximum generosity", number(happy['Generosity'].max())),
        ("average happiness score by continent", REFUSE),
        ("median family", number(happy['Family'].median())),
        ("how many countries have a happiness score above 7?", number((happy['Happiness Score'] > 7).sum())),
    ]))
    out.append(('abalone.csv', [
        ("average rings by sex", mapping(aba.groupby('Sex')['Rings'].mean())),
        ("median length", number(aba['Length'].median())),
        ("max shell weight", number(aba['Shell weight'].max())),
        ("how many abalones have a diameter above 0.5?", number((aba['Diameter'] > 0.5).sum())),
        ("average rings by habitat", REFUSE),
        ("average height by sex", mapping(aba.groupby('Sex')['Height'].mean())),
    ]))
    return out


# --- Held out: written in one go after the questions above, before running them, to measure the parser on
# phrasings it was not tuned to. First-run figures are in the test's report header (see OfflineQuestionSetTest).

def heldout_sales(path):
    df = pd.read_csv(path, parse_dates=['date'])
    y2023 = df[df['date'].dt.year == 2023]
    return [
        ("What was our best selling product by quantity?", first([df.groupby('product')['quantity'].sum().idxmax()])),
        ("how much revenue did Clothing make in 2023?",
         number(y2023.loc[y2023['category'] == 'Clothing', 'revenue'].sum())),
        ("Which product had the lowest total revenue?", first([df.groupby('product')['revenue'].sum().idxmin()])),
        ("What's the revenue for each month of 2023?",
         mapping(y2023.groupby(y2023['date'].dt.strftime('%Y-%m'))['revenue'].sum())),
        ("how many sales in the East?", number((df['region'] == 'East').sum())),
        ("show me the top 5 orders by revenue",
         rows('revenue', df['revenue'].sort_values(ascending=False).head(5))),
        ("what % of orders are from the West region?", number((df['region'] == 'West').mean() * 100)),
        ("average quantity per order in Office Supplies",
         number(df.loc[df['category'] == 'Office Supplies', 'quantity'].mean())),
    ]


def heldout_titanic():
    df = read('titanic.csv')
    return [
        ("what's the survival rate for women?", number(df.loc[df['Sex'] == 'female', 'Survived'].mean() * 100)),
        ("oldest passenger", row_in('Name', df.loc[df['Age'] == df['Age'].max(), 'Name'])),
        ("average age by class and sex", mapping(df.groupby(['Pclass', 'Sex'])['Age'].mean())),
        ("How many men were on board?", number((df['Sex'] == 'male').sum())),
        ("how many kids under 10 were there?", number((df['Age'] < 10).sum())),
        ("max fare paid in second class", number(df.loc[df['Pclass'] == 2, 'Fare'].max())),
    ]


def heldout_insurance():
    df = read('insurance.csv')
    return [
        ("what is the average bmi of people with no children?", number(df.loc[df['children'] == 0, 'bmi'].mean())),
        ("total charges by region, as a pie chart", mapping(df.groupby('region')['charges'].sum()), True),
        ("How old is the oldest person?", number(df['age'].max())),
        ("average charges for male smokers",
         number(df.loc[(df['sex'] == 'male') & (df['smoker'] == 'yes'), 'charges'].mean())),
        ("Do smokers pay more?", REFUSE),
    ]


def heldout_others():
    credit = read('Credit.csv')
    auto = read('auto-mpg.csv')
    hotel = read('hotel_data.csv')
    happy = read('2015.csv')
    return [
        ('Credit.csv', [
            ("how many people are married?", number((credit['Married'] == 'Yes').sum())),
            ("Average rating per number of cards", mapping(credit.groupby('Cards')['Rating'].mean())),
            ("max balance for asian customers", number(credit.loc[credit['Ethnicity'] == 'Asian', 'Balance'].max())),
        ]),
        ('auto-mpg.csv', [
            ("What's the mean acceleration?", number(auto['acceleration'].mean())),
            ("which origin has the best mpg on average", first([auto.groupby('origin')['mpg'].mean().idxmax()])),
        ]),
        ('hotel_data.csv', [
            ("How many hotels in Hoboken?", number((hotel['city_name'] == 'Hoboken').sum())),
            ("what is the highest review count", number(hotel['review_count'].max())),
            ("Average bubble score for 4 star hotels",
             number(hotel.loc[hotel['star_rating'] == 4, 'bubble_score'].mean())),
        ]),
        ('2015.csv', [
            ("trust vs happiness score correlation",
             number(happy['Trust (Government Corruption)'].corr(happy['Happiness Score']))),
            ("What's the happiness score of Denmark?",
             number(happy.loc[happy['Country'] == 'Denmark', 'Happiness Score'].iloc[0])),
        ]),
    ]


def heldout_election():
    df = read('election2016.csv')
    by_state = df.groupby('state_abbr')['total_votes'].sum()
    return [
        ("total votes by state", mapping(by_state)),
        ("Which state had the most total votes?", first([by_state.idxmax()])),
        ("How many counties did the democrats win?", REFUSE),
    ]


# --- Second held-out batch: written after the first was tuned, before running it (first-run figures: see report).

def heldout2(sales_path):
    sales = pd.read_csv(sales_path, parse_dates=['date'])
    beauty = read('beauty and the labor market.csv')
    ins = read('insurance.csv')
    tit = read('titanic.csv')
    hotel = read('hotel_data.csv')
    auto = read('auto-mpg.csv')
    happy = read('2015.csv')
    q3 = sales[(sales['date'].dt.year == 2024) & (sales['date'].dt.quarter == 3)]
    return [
        ('beauty and the labor market.csv', [
            ("What is the average wage?", number(beauty['wage'].mean())),
            ("average wage of women", number(beauty.loc[beauty['female'] == 1, 'wage'].mean())),
            ("average wage for union members", number(beauty.loc[beauty['union'] == 1, 'wage'].mean())),
            ("How many people are married?", number((beauty['married'] == 1).sum())),
            ("correlation between education and wage", number(beauty['educ'].corr(beauty['wage']))),
            ("average wage by looks", mapping(beauty.groupby('looks')['wage'].mean())),
            ("what's the median experience?", number(beauty['exper'].median())),
            ("percentage of workers in a union", number((beauty['union'] == 1).mean() * 100)),
        ]),
        ('sales.csv', [
            ("What was the total quantity of Paper sold?", number(sales.loc[sales['product'] == 'Paper', 'quantity'].sum())),
            ("Which region generates the most revenue?", first([sales.groupby('region')['revenue'].sum().idxmax()])),
            ("average price by product", mapping(sales.groupby('product')['price'].mean())),
            ("how many orders over 1000?", REFUSE),
            ("Revenue in Q3 2024", number(q3['revenue'].sum())),
        ]),
        ('insurance.csv', [
            ("average age of smokers", number(ins.loc[ins['smoker'] == 'yes', 'age'].mean())),
            ("what's the maximum bmi in the northwest", number(ins.loc[ins['region'] == 'northwest', 'bmi'].max())),
            ("How many women smoke?", number(((ins['sex'] == 'female') & (ins['smoker'] == 'yes')).sum())),
        ]),
        ('titanic.csv', [
            ("average fare for passengers who embarked at Southampton",
             number(tit.loc[tit['Embarked'] == 'S', 'Fare'].mean())),
            ("what is the most common cabin", tied_max(tit['Cabin'].value_counts())),
            ("median age of first class passengers", number(tit.loc[tit['Pclass'] == 1, 'Age'].median())),
        ]),
        ('hotel_data.csv', [
            ("which city has the most hotels?", first([hotel['city_name'].value_counts().idxmax()])),
            ("average review count for hostels", number(hotel.loc[hotel['hotel_type'] == 'Hostel', 'review_count'].mean())),
        ]),
        ('auto-mpg.csv', [
            ("average horsepower of 4 cylinder cars", number(auto.loc[auto['cylinders'] == 4, 'horsepower'].mean())),
        ]),
        ('2015.csv', [
            ("list the regions", keys(happy['Region'].unique())),
            ("Which region has the most countries?", first([happy['Region'].value_counts().idxmax()])),
        ]),
    ]


# --- Held out for issue 14: written after the rest was done, run once, reported on its own (batch 3).
# First (and only) run: 43 answerable: 34 correct, 2 wrong, 7 not understood; 17 probes: 16 refused. The misses,
# not tuned on: "total discount given" (expected a decline, got the sum of the discount rates), "how many counties are
# there?" (distinct county names 1,848 against 3,141 rows), "cheapest product" (right product and price, as a series by
# product_name where the expectation wanted a table).

def heldout3(paths):
    df = pd.read_csv(paths['ledger'], parse_dates=['order_date'])
    reps = pd.read_csv(paths['reps'])
    joined = df.merge(reps, on='sales_rep', how='left')
    hrd = pd.read_csv(paths['hr'], parse_dates=['hire_date'])
    prod = pd.read_json(paths['products'])
    ins = read('insurance.csv')
    tit = read('titanic.csv')
    beauty = read('beauty and the labor market.csv')
    elect = read('election2016.csv')
    per_order = df.groupby('order_id')['revenue'].sum()
    r = lambda c, v: df.loc[df['region'] == v, c]
    return [
        ('ledger.csv', [
            ("revenue: North vs East", compare([('North', r('revenue', 'North').sum()), ('East', r('revenue', 'East').sum())])),
            ("How does average discount compare between South and West?",
             compare([('South', r('discount', 'South').mean()), ('West', r('discount', 'West').mean())])),
            ("sum of units in West versus North", compare([('West', r('units', 'West').sum()), ('North', r('units', 'North').sum())])),
            ("what's the gap in median revenue between Technology and Office Supplies?",
             compare([('Technology', df.loc[df['product_category'] == 'Technology', 'revenue'].median()),
                      ('Office Supplies', df.loc[df['product_category'] == 'Office Supplies', 'revenue'].median())])),
            ("biggest order", first([per_order.sort_values(ascending=False).index[0]])),
            ("top 10 orders by revenue", first(list(per_order.sort_values(ascending=False).index[:10]))),
            ("mean revenue per order in 2024",
             number(df[df['order_date'].dt.year == 2024].groupby('order_id')['revenue'].sum().mean())),
            ("total revenue per team", mapping(joined.groupby('team')['revenue'].sum())),
            ("revenue by manager", mapping(joined.groupby('manager')['revenue'].sum())),
            ("total revenue by country", REFUSE),
            ("average revenue per client", REFUSE),
            ("total revenue by warehouse", REFUSE),
            ("what's our gross margin?", REFUSE),
            ("what is the basket value?", REFUSE),
            ("units sold per quarter", mapping(df.groupby(df['order_date'].dt.year.astype(str) + 'Q'
                                                          + df['order_date'].dt.quarter.astype(str))['units'].sum())),
            ("avg unit price per region", mapping(df.groupby('region')['unit_price'].mean())),
            ("how many orders were placed by Liam Walsh?", number((df['sales_rep'] == 'Liam Walsh').sum())),
            ("which rep sold the most units?", first([df.groupby('sales_rep')['units'].sum().idxmax()])),
            ("what share of revenue comes from Furniture?",
             number(df.loc[df['product_category'] == 'Furniture', 'revenue'].sum() / df['revenue'].sum() * 100)),
            ("total discount given", REFUSE),
        ]),
        ('hr.csv', [
            ("mean salary Marketing versus Finance",
             compare([('Marketing', hrd.loc[hrd['department'] == 'Marketing', 'salary'].mean()),
                      ('Finance', hrd.loc[hrd['department'] == 'Finance', 'salary'].mean())])),
            ("overtime hours: remote vs non-remote",
             compare([('remote: yes', hrd.loc[hrd['remote'] == 'yes', 'overtime_hours'].sum()),
                      ('remote: no', hrd.loc[hrd['remote'] == 'no', 'overtime_hours'].sum())])),
            ("average age in Dublin vs Madrid",
             compare([('Dublin', hrd.loc[hrd['city'] == 'Dublin', 'age'].mean()),
                      ('Madrid', hrd.loc[hrd['city'] == 'Madrid', 'age'].mean())])),
            ("median salary per department", mapping(hrd.groupby('department')['salary'].median())),
            ("highest paid department on average", first([hrd.groupby('department')['salary'].mean().idxmax()])),
            ("average salary by office", REFUSE),
            ("average salary by seniority", REFUSE),
            ("total payroll by department", REFUSE),
            ("count of employees by city", mapping(hrd.groupby('city').size())),
            ("how many employees have a performance score of 5?", number((hrd['performance_score'] == 5).sum())),
        ]),
        ('products.json', [
            ("stock value by supplier", REFUSE),
            ("total stock value for Toys", number((prod['price'] * prod['stock'])[prod['category'] == 'Toys'].sum())),
            ("average price Books versus Sports",
             compare([('Books', prod.loc[prod['category'] == 'Books', 'price'].mean()),
                      ('Sports', prod.loc[prod['category'] == 'Sports', 'price'].mean())])),
            ("inventory value", REFUSE),
            ("total revenue by category", REFUSE),
            ("cheapest product", row_in('price', [prod['price'].min()])),
            ("average stock per supplier", mapping(prod.groupby('supplier')['stock'].mean())),
            ("how many products does Umbrella supply?", number((prod['supplier'] == 'Umbrella').sum())),
            ("mean rating for Garden and Kitchen",
             compare([('Garden', prod.loc[prod['category'] == 'Garden', 'rating'].mean()),
                      ('Kitchen', prod.loc[prod['category'] == 'Kitchen', 'rating'].mean())])),
            ("total stock by category", mapping(prod.groupby('category')['stock'].sum())),
        ]),
        ('insurance.csv', [
            ("charges smokers versus non-smokers",
             compare([('smoker: yes', ins.loc[ins['smoker'] == 'yes', 'charges'].sum()),
                      ('smoker: no', ins.loc[ins['smoker'] == 'no', 'charges'].sum())])),
            ("average bmi for smokers and non-smokers",
             compare([('smoker: yes', ins.loc[ins['smoker'] == 'yes', 'bmi'].mean()),
                      ('smoker: no', ins.loc[ins['smoker'] == 'no', 'bmi'].mean())])),
            ("average charges by employer", REFUSE),
            ("mean age northeast vs southeast",
             compare([('northeast', ins.loc[ins['region'] == 'northeast', 'age'].mean()),
                      ('southeast', ins.loc[ins['region'] == 'southeast', 'age'].mean())])),
            ("median bmi by number of children", mapping(ins.groupby('children')['bmi'].median())),
        ]),
        ('titanic.csv', [
            ("average age for male vs female passengers",
             compare([('male', tit.loc[tit['Sex'] == 'male', 'Age'].mean()),
                      ('female', tit.loc[tit['Sex'] == 'female', 'Age'].mean())])),
            ("fare by deck", REFUSE),
            ("average fare by port", REFUSE),
            ("total fare by sex", mapping(tit.groupby('Sex')['Fare'].sum())),
            ("youngest passenger", row_in('Age', [tit['Age'].min()])),
        ]),
        ('beauty and the labor market.csv', [
            ("average wage by education", mapping(beauty.groupby('educ')['wage'].mean())),
            ("average wage for union vs non-union workers",
             compare([('union: yes', beauty.loc[beauty['union'] == 1, 'wage'].mean()),
                      ('union: no', beauty.loc[beauty['union'] == 0, 'wage'].mean())])),
            ("average wage by industry", REFUSE),
            ("max experience", number(beauty['exper'].max())),
            ("median wage of married workers", number(beauty.loc[beauty['married'] == 1, 'wage'].median())),
        ]),
        ('election2016.csv', [
            ("total votes for AK vs AL",
             compare([('AK', elect.loc[elect['state_abbr'] == 'AK', 'total_votes'].sum()),
                      ('AL', elect.loc[elect['state_abbr'] == 'AL', 'total_votes'].sum())])),
            ("average per_dem by state", mapping(elect.groupby('state_abbr')['per_dem'].mean())),
            ("total votes by candidate", REFUSE),
            # expected 3,141 rows when written; county names repeat across states (1,848 distinct), so the question
            # is ambiguous between rows and distinct names and must be asked (the analyst answered distinct names)
            ("how many counties are there?", REFUSE),
            ("max votes_gop", number(elect['votes_gop'].max())),
        ]),
    ]


# --- Held out after issue 14's trust fixes (batch 4): written before any code change for them, run once; the
# first-run figures are recorded in OfflineQuestionSetTest. Families: sums of rates, counts of entities whose names
# repeat, superlatives with ties, per-X averages of rates, shares.
# First run: 36 answerable: 25 correct, 1 wrong ("how many regions?" read against the attached reps table: 12), 10 not
# understood (counts of few categories, "average discount per order", "how many counties in TX", "least happy
# country"); 13 probes: 11 refused ("total bmi" and "total Engineering" of a percentages table were summed).

def heldout4(paths):
    df = pd.read_csv(paths['ledger'], parse_dates=['order_date'])
    hrd = pd.read_csv(paths['hr'], parse_dates=['hire_date'])
    prod = pd.read_json(paths['products'])
    elect = read('election2016.csv')
    tit = read('titanic.csv')
    ins = read('insurance.csv')
    gap = read('gapminder_cleaned.csv')
    vac = read('country_vaccinations.csv', parse_dates=['date'])
    happy = read('2015.csv')
    bach = read('percent-bachelors-degrees-women-usa.csv')
    y2024 = df[df['order_date'].dt.year == 2024]
    tx = elect[elect['state_abbr'] == 'TX']
    garden = prod[prod['category'] == 'Garden']
    return [
        ('ledger.csv', [
            ("total discount by region", REFUSE),
            ("sum of discount", REFUSE),
            ("how much discount did we give in 2024?", REFUSE),
            ("total discount East vs West", REFUSE),
            ("average discount per region", mapping(df.groupby('region')['discount'].mean())),
            ("and the total?", REFUSE),
            ("median discount in the North", number(df.loc[df['region'] == 'North', 'discount'].median())),
            ("highest discount by sales rep", mapping(df.groupby('sales_rep')['discount'].max())),
            ("average discount per order", number(df.groupby('order_id')['discount'].sum().mean())),
            ("average discount per month in 2024",
             mapping(y2024.groupby(y2024['order_date'].dt.strftime('%Y-%m'))['discount'].mean())),
            ("share of discount by region", REFUSE),
            ("share of revenue by region", mapping(df.groupby('region')['revenue'].sum() / df['revenue'].sum() * 100)),
            ("how many sales reps are there?", number(df['sales_rep'].nunique())),
            ("how many regions?", number(df['region'].nunique())),
            ("number of orders per sales rep", mapping(df.groupby('sales_rep').size())),
        ]),
        ('election2016.csv', [
            ("total per_dem", REFUSE),
            ("sum of per_gop by state", REFUSE),
            ("average per_gop", number(elect['per_gop'].mean())),
            ("which state has the highest average per_dem?", first([elect.groupby('state_abbr')['per_dem'].mean().idxmax()])),
            ("how many counties in TX?", number(len(tx))),
            ("number of distinct county names", number(elect['county_name'].nunique())),
            ("count of counties by state", mapping(elect.groupby('state_abbr').size())),
            ("how many states are there?", number(elect['state_abbr'].nunique())),
            ("how many rows are there?", number(len(elect))),
        ]),
        ('products.json', [
            ("most expensive product", row_in('price', [prod['price'].max()])),
            ("cheapest product in Garden", row_in('price', [garden['price'].min()])),
            ("which product has the lowest stock?", row_in('stock', [prod['stock'].min()])),
            ("which product has the highest rating?", row_in('rating', [prod['rating'].max()])),
            ("how many products are in Garden?", number(len(garden))),
            ("how many suppliers are there?", number(prod['supplier'].nunique())),
        ]),
        ('hr.csv', [
            ("oldest employee", row_in('age', [hrd['age'].max()])),
            ("which employee has the highest salary?", row_in('salary', [hrd['salary'].max()])),
            ("how many departments are there?", number(hrd['department'].nunique())),
            ("how many employees work in Berlin?", number((hrd['city'] == 'Berlin').sum())),
            ("how many cities?", number(hrd['city'].nunique())),
        ]),
        ('titanic.csv', [
            ("how many cabins are there?", REFUSE),
            ("how many distinct tickets are there?", number(tit['Ticket'].nunique())),
            ("how many names are in the list?", number(tit['Name'].nunique())),
            ("oldest passenger", row_in('Age', [tit['Age'].max()])),
        ]),
        ('insurance.csv', [
            ("how many regions are there?", number(ins['region'].nunique())),
            ("total bmi", REFUSE),
        ]),
        ('gapminder_cleaned.csv', [
            ("count of countries per continent", REFUSE),
            ("how many countries in 2007?", number((gap['year'] == 2007).sum())),
            ("number of different continents", number(gap['continent'].nunique())),
        ]),
        ('country_vaccinations.csv', [
            ("total people_fully_vaccinated_per_hundred in Israel", REFUSE),
            ("average people vaccinated per hundred by country",
             mapping(vac.groupby('country')['people_vaccinated_per_hundred'].mean())),
        ]),
        ('2015.csv', [
            ("least happy country", row_in('Country', happy.loc[happy['Happiness Score'] == happy['Happiness Score'].min(),
                                                                'Country'])),
        ]),
        ('percent-bachelors-degrees-women-usa.csv', [
            ("total Engineering", REFUSE),
            ("average Engineering", number(bach['Engineering'].mean())),
        ]),
    ]


def entry(path, upload_name, questions, held_out=0, attach=()):
    out = []
    for q in questions:
        out.append({'question': q[0], 'expect': q[1], 'chart': len(q) > 2 and q[2], 'batch': int(held_out)})
    return {'file': path, 'upload_name': upload_name, 'questions': out,
            'attach': [{'file': f, 'upload_name': n} for f, n in attach]}


def main():
    sales_path = sys.argv[1]
    paths = offline_tables.write(sys.argv[2])
    datasets = [entry(sales_path, 'sales.csv', sales(sales_path))]
    datasets.append(entry(paths['ledger'], 'ledger.csv', ledger_questions(paths),
                          attach=[(paths['reps'], 'reps.csv')]))
    datasets.append(entry(paths['hr'], 'hr.csv', hr_questions(paths)))
    datasets.append(entry(paths['products'], 'products.json', products_questions(paths)))
    for name, questions in templated():
        datasets.append(entry(os.path.join(TABLES, name), name, questions))
    for name, questions in [('titanic.csv', titanic), ('insurance.csv', insurance), ('abalone.csv', abalone),
                            ('auto-mpg.csv', auto_mpg), ('Credit.csv', credit), ('hotel_data.csv', hotels),
                            ('country_vaccinations.csv', vaccinations), ('2015.csv', happiness),
                            ('gapminder_cleaned.csv', gapminder), ('baseball_data.csv', baseball)]:
        datasets.append(entry(os.path.join(TABLES, name), name, questions()))
    datasets.append(entry(sales_path, 'sales.csv', heldout_sales(sales_path), True))
    datasets.append(entry(os.path.join(TABLES, 'titanic.csv'), 'titanic.csv', heldout_titanic(), True))
    datasets.append(entry(os.path.join(TABLES, 'insurance.csv'), 'insurance.csv', heldout_insurance(), True))
    for name, questions in heldout_others():
        datasets.append(entry(os.path.join(TABLES, name), name, questions, True))
    datasets.append(entry(os.path.join(TABLES, 'election2016.csv'), 'election2016.csv', heldout_election(), True))
    for name, questions in heldout2(sales_path):
        path = sales_path if name == 'sales.csv' else os.path.join(TABLES, name)
        datasets.append(entry(path, name, questions, 2))
    for name, questions in heldout3(paths):
        path = {'ledger.csv': paths['ledger'], 'hr.csv': paths['hr'], 'products.json': paths['products']}.get(
            name, os.path.join(TABLES, name))
        attach = [(paths['reps'], 'reps.csv')] if name == 'ledger.csv' else []
        datasets.append(entry(path, name, questions, 3, attach))
    for name, questions in heldout4(paths):
        path = {'ledger.csv': paths['ledger'], 'hr.csv': paths['hr'], 'products.json': paths['products']}.get(
            name, os.path.join(TABLES, name))
        attach = [(paths['reps'], 'reps.csv')] if name == 'ledger.csv' else []
        datasets.append(entry(path, name, questions, 4, attach))
    json.dump({'datasets': datasets}, sys.stdout, indent=1, allow_nan=False)


if __name__ == '__main__':
    main()
