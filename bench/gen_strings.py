#!/usr/bin/python3
"""Writes a string-heavy CSV (order id, customer, email, city, status, comment, amount) of about SIZE megabytes:
most cells are text, many of them unique (ids, e-mails, free-text comments), some repeated (cities, statuses).

Usage: gen_strings.py OUT.csv SIZE_MB [SEED]
"""
import random
import sys

FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Eve', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jules', 'Kemal', 'Lea', 'Mia',
         'Noah', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Victor', 'Wen', 'Xavier', 'Yara', 'Zoë']
LAST = ['Smith', 'Müller', 'García', 'Rossi', 'Nowak', 'Dubois', 'Silva', 'Kim', 'Nguyen', 'Okafor', 'Haddad',
        'Jensen', 'Kowalski', 'Tanaka', 'Ivanova', 'Moreau', 'Fischer', 'Costa', 'Larsen', 'Petrov']
CITIES = ['Lisbon', 'Berlin', 'Paris', 'Madrid', 'Rome', 'Warsaw', 'Oslo', 'Vienna', 'Prague', 'Dublin', 'Athens',
          'Zürich', 'Kraków', 'São Paulo', 'Montréal']
STATUSES = ['shipped', 'delivered', 'returned', 'cancelled', 'pending']
WORDS = ('late early damaged perfect box colour size refund again great poor fast slow courier address wrong right '
         'gift order support replaced missing extra quality price cheap expensive happy unhappy would buy').split()


def main():
    out, size_mb = sys.argv[1], float(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    target = int(size_mb * 1_000_000)
    written = 0
    n = 0
    with open(out, 'w', newline='', encoding='utf-8') as f:
        header = 'order_id,customer,email,city,status,comment,amount\n'
        f.write(header)
        written += len(header.encode())
        lines = []
        while written < target:
            n += 1
            first, last = rng.choice(FIRST), rng.choice(LAST)
            comment = ' '.join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
            line = (f'ORD-{n:09d},{first} {last},{first.lower()}.{last.lower()}{rng.randrange(10000)}@example.com,'
                    f'{rng.choice(CITIES)},{rng.choice(STATUSES)},"{comment}",{rng.uniform(1, 2000):.2f}\n')
            lines.append(line)
            written += len(line.encode())
            if len(lines) >= 10000:
                f.write(''.join(lines))
                lines.clear()
        f.write(''.join(lines))


if __name__ == '__main__':
    main()
