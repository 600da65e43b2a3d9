#!/usr/bin/python3
"""The offline analyst's question set, with every expected answer computed here, independently, with pandas.

Questions are phrased the way people type them (typos, follow-ups that lean on the previous question, "whats",
lower case); each one's expectation is written by hand as plain pandas over the same file the test uploads, without
looking at the code the analyst generates. OfflineQuestionSetTest (src/test/java/io/llmanalytics/offline) runs this
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
before their first run; the report states their figures).

Run:  /usr/bin/python3 src/test/python/offline_questions.py <sales.csv>   (prints JSON on stdout)
"""
import json
import math
import os
import sys
from datetime import timedelta

import numpy as np
import pandas as pd

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
    return {'kind': 'row_in', 'column': column, 'values': sorted(set(values))}


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
        ("how many countries are in the data?", number(df['country'].nunique())),
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
        ("How many countries are there per continent?", mapping(df.groupby('continent')['country'].nunique())),
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


def entry(path, upload_name, questions, held_out=0):
    out = []
    for q in questions:
        out.append({'question': q[0], 'expect': q[1], 'chart': len(q) > 2 and q[2], 'batch': int(held_out)})
    return {'file': path, 'upload_name': upload_name, 'questions': out}


def main():
    sales_path = sys.argv[1]
    datasets = [entry(sales_path, 'sales.csv', sales(sales_path))]
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
    json.dump({'datasets': datasets}, sys.stdout, indent=1, allow_nan=False)


if __name__ == '__main__':
    main()
