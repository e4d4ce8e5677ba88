"""The language cases of JinjaLanguageTest: each a construct, a template, variables, and the output of real
Jinja2 (configured as transformers does, see jinja_reference.py). Regenerate the resource with:

    python3 language_cases.py > ../resources/dev/hearth/inference/chat/language-cases.json
"""
import json
import sys

from jinja_reference import render

MSGS = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello!"}]

CASES = [
    # text and whitespace control
    ("plain text passes through unchanged", "Hello, world!", {}),
    ("one trailing newline of the template is removed", "a\n", {}),
    ("only one trailing newline is removed", "a\n\n", {}),
    ("crlf newlines are normalised", "a\r\nb\rc", {}),
    ("trim_blocks removes the newline after a block tag", "{% if true %}\nyes\n{% endif %}\nend", {}),
    ("lstrip_blocks removes indentation before a block tag", "  {% if true %}\n  x\n  {% endif %}\n", {}),
    ("lstrip_blocks does not touch expressions", "  {{ 'x' }}\n", {}),
    ("lstrip_blocks keeps text before a tag on the same line", "a {% if true %}b{% endif %}", {}),
    ("minus strips whitespace before and after", "a  \n {%- if true -%} \n b {{- ' c ' -}}  \n d {%- endif %}", {}),
    ("plus disables lstrip_blocks", "  {%+ if true %}x{% endif %}", {}),
    ("plus on the end disables trim_blocks", "{% if true +%}\nx{% endif %}", {}),
    ("comments are removed and trimmed", "a\n  {# note #}\nb {#- c -#}  d", {}),
    ("raw blocks are printed verbatim", "{% raw %}{{ x }}{% if %}{% endraw %}", {}),
    ("variable end does not trim the newline", "{{ 'a' }}\nb", {}),
    ("lstrip after a trimmed newline", "{% for i in [1,2] %}\n    {% if i %}\n[{{ i }}]\n    {% endif %}\n{% endfor %}", {}),
    # literals and printing
    ("python constants print the python way", "{{ True }} {{ false }} {{ None }} {{ none }}", {}),
    ("integers and floats print like python", "{{ 1 }} {{ 1.0 }} {{ 1.5e3 }} {{ 1e16 }} {{ 0.0001 }} {{ 1e-5 }} {{ 10/4 }} {{ 1_000 }}", {}),
    ("lists print like python repr", "{{ [1, 'a', True, None, 2.5] }}", {}),
    ("dicts keep insertion order and print like python", "{{ {'b': 1, 'a': [1, 2], 'c': {'x': None}} }}", {}),
    ("string repr switches quotes", "{{ [\"it's\", 'say \"hi\"', 'both \\' \"', 'tab\\there'] }}", {}),
    ("tuples are sequences", "{% set t = (1, 2) %}{{ t[0] }}{{ t | length }}{% for x in (3, 4,) %}{{ x }}{% endfor %}", {}),
    ("string escapes are decoded", "{{ 'a\\nb\\tc\\\\d\\'e\\u00e9\\x41\\U0001F600' }}", {}),
    ("adjacent strings are concatenated", "{{ 'a' 'b' \"c\" }}", {}),
    ("unknown escapes stay as written", "{{ 'a\\db' }}", {}),
    # expressions
    ("arithmetic follows python precedence", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }}", {}),
    ("mixed int and float arithmetic", "{{ 1 + 1.5 }} {{ 3 * 0.5 }} {{ 1.0 // 2 }} {{ 2 ** -1 }} {{ 0.1 + 0.2 }}", {}),
    ("tilde concatenates as strings", "{{ 1 ~ 'a' ~ None ~ True ~ [1] }}", {}),
    ("plus concatenates strings and lists", "{{ 'a' + 'b' }} {{ [1] + [2, 3] }}", {}),
    ("string repetition", "{{ 'ab' * 3 }}{{ 2 * 'c' }}{{ [0] * 3 }}", {}),
    ("comparisons chain", "{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 == 1.0 }} {{ True == 1 }} {{ 'a' != 'b' }}", {}),
    ("in and not in", "{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }} {{ 'x' in undefined_thing }}", {}),
    ("and or return operands", "{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }} {{ none or [] }} {{ not 0 }} {{ not 'a' }}", {}),
    ("inline if else", "{{ 'yes' if 1 > 0 else 'no' }} {{ 'yes' if 0 else 'no' }} [{{ 'only' if false }}]", {}),
    ("unary minus and plus", "{{ -3 }} {{ +3 }} {{ -(1 + 2) }} {{ - 2.5 }}", {}),
    ("attribute and item access", "{{ d.a }} {{ d['a'] }} {{ d.l[1] }} {{ d['l'][-1] }} {{ d.l.0 }} [{{ d.missing }}]", {"d": {"a": 1, "l": [1, 2, 3]}}),
    ("dict methods win over keys for attribute access", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{{ d['items'] }}", {"d": {"items": "X", "b": 2}}),
    # slicing
    ("list slicing", "{{ l[1:3] }} {{ l[:2] }} {{ l[2:] }} {{ l[-2:] }} {{ l[:-1] }} {{ l[::2] }} {{ l[10:] }}", {"l": [0, 1, 2, 3, 4]}),
    ("negative slice steps", "{{ l[::-1] }} {{ l[3:0:-1] }} {{ l[-1:-4:-2] }} {{ 'hello'[::-1] }} {{ 'hello'[4:1:-1] }} {{ l[:1:-1] }}", {"l": [0, 1, 2, 3, 4]}),
    ("string slicing and indexing", "{{ 'hello'[1:3] }} {{ 'hello'[-1] }} {{ 'hello'[0] }} {{ 'héllo😀!'[-2:] }}", {}),
    # tests
    ("is defined and undefined", "{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ d.k is defined }} {{ d.z is not defined }}", {"x": 1, "d": {"k": None}}),
    ("is none string mapping number", "{{ none is none }} {{ 'a' is string }} {{ {} is mapping }} {{ [] is mapping }} {{ 1 is number }} {{ 1.5 is number }} {{ 'a' is number }} {{ 1 is integer }} {{ 1.0 is float }} {{ true is boolean }}", {}),
    ("is iterable and sequence", "{{ [] is iterable }} {{ 'a' is iterable }} {{ {} is iterable }} {{ 1 is iterable }} {{ 'a' is sequence }} {{ {} is sequence }} {{ 1 is sequence }} {{ x is iterable }}", {}),
    ("is true false odd even divisibleby", "{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }}", {}),
    ("comparison tests", "{{ 1 is eq 1 }} {{ 1 is ne 2 }} {{ 1 is lt 2 }} {{ 3 is gt 2 }} {{ 2 is ge 2 }} {{ 2 is le 1 }} {{ 'a' is in 'abc' }} {{ 1 is sameas 1 }} {{ 'AB' is upper }} {{ 'ab' is lower }}", {}),
    ("is not negates a test", "{{ 1 is not string }} {{ not 1 is string }}", {}),
    ("is callable", "{% macro m() %}{% endmacro %}{{ m is callable }} {{ 'a'.upper is callable }} {{ 1 is callable }}", {}),
    # if / for
    ("if elif else", "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} {% endfor %}", {}),
    ("for over list with loop variables", "{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}", {}),
    ("loop previtem nextitem cycle", "{% for x in [1, 2, 3] %}{{ loop.previtem | default('-') }}{{ loop.nextitem | default('-') }}{{ loop.cycle('a', 'b') }} {% endfor %}", {}),
    ("for else runs on empty", "{% for x in [] %}x{% else %}empty{% endfor %}{% for x in [1] %}{{ x }}{% else %}no{% endfor %}", {}),
    ("for with inline filter counts only kept items", "{% for m in messages if m.role != 'system' %}{{ loop.index }}/{{ loop.length }}:{{ m.role }} {% endfor %}", {"messages": MSGS}),
    ("for over dict items with tuple unpacking", "{% for k, v in d | items %}{{ k }}={{ v }},{% endfor %}{% for k in d %}{{ k }}{% endfor %}", {"d": {"z": 1, "a": 2}}),
    ("for unpacks pairs", "{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }} {% endfor %}", {}),
    ("nested loops have their own loop variable", "{% for a in [1, 2] %}{% for b in 'xy' %}{{ loop.index }}{{ b }}{% endfor %}{{ loop.index }};{% endfor %}", {}),
    ("break and continue", "{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}", {}),
    ("loop changed", "{% for x in [1, 1, 2, 2, 1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}", {}),
    ("recursive loops", "{% for n in tree recursive %}[{{ n.name }}{% if n.children %}{{ loop(n.children) }}{% endif %}]{% endfor %}", {"tree": [{"name": "a", "children": [{"name": "b", "children": []}, {"name": "c"}]}]}),
    ("range forms", "{{ range(3) | list }} {{ range(1, 4) | list }} {{ range(10, 0, -3) | list }} {{ range(0) | list }}", {}),
    # set and namespace
    ("set assigns and unpacks", "{% set a = 1 %}{% set b, c = 2, 3 %}{{ a }}{{ b }}{{ c }}", {}),
    ("set inside a loop does not leak out", "{% set x = 0 %}{% for i in [1, 2] %}{% set x = x + i %}{{ x }}{% endfor %}{{ x }}", {}),
    ("set inside if at top level is visible", "{% if true %}{% set y = 5 %}{% endif %}{{ y }}", {}),
    ("block set captures output", "{% set greeting %}Hello {{ name }}!{% endset %}[{{ greeting }}]", {"name": "Ann"}),
    ("block set with filter", "{% set s | upper %}abc{% endset %}{{ s }}", {}),
    ("namespace carries state out of loops", "{% set ns = namespace(count=0, last=none) %}{% for m in messages %}{% set ns.count = ns.count + 1 %}{% set ns.last = m.role %}{% endfor %}{{ ns.count }} {{ ns.last }}", {"messages": MSGS}),
    ("namespace from a dict", "{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}", {}),
    ("with block scopes variables", "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]", {}),
    # macros and call
    ("macro with defaults and keyword arguments", "{% macro tag(name, value='v', sep=': ') %}{{ name }}{{ sep }}{{ value }}{% endmacro %}{{ tag('a') }}|{{ tag('b', 'x') }}|{{ tag('c', sep='=') }}|{{ tag(name='d', value=1) }}", {}),
    ("macro missing argument is undefined", "{% macro m(a, b) %}[{{ a }}][{{ b }}]{% endmacro %}{{ m(1) }}", {}),
    ("macro varargs and kwargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }}", {}),
    ("macro recursion", "{% macro f(n) %}{% if n > 0 %}{{ n }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(5) }}", {}),
    ("call block passes caller", "{% macro box(title) %}<{{ title }}>{{ caller() }}</{{ title }}>{% endmacro %}{% call box('b') %}inside{% endcall %}", {}),
    ("call block with arguments", "{% macro each(items) %}{% for i in items %}{{ caller(i, loop.index) }}{% endfor %}{% endmacro %}{% call(item, n) each(['x', 'y']) %}{{ n }}={{ item }};{% endcall %}", {}),
    ("macro sees variables of the template", "{% set sep = '/' %}{% macro j(a, b) %}{{ a }}{{ sep }}{{ b }}{% endmacro %}{{ j(1, 2) }}", {}),
    # filter blocks
    ("filter block applies filters to its body", "{% filter upper %}hello {{ name }}{% endfilter %}|{% filter trim | replace('a', 'o') %}  banana  {% endfilter %}", {"name": "bo"}),
    ("generation block renders its body", "a{% generation %}b{% endgeneration %}c", {}),
    # filters
    ("trim and strip filters", "[{{ '  a b  ' | trim }}][{{ 'xxaxx' | trim('x') }}]", {}),
    ("case filters", "{{ 'hello wORLD' | upper }} {{ 'HeLLo' | lower }} {{ 'hello wORLD-foo (bar' | title }} {{ 'hELLO world' | capitalize }}", {}),
    ("length count first last", "{{ [1, 2, 3] | length }} {{ 'héllo' | count }} {{ {'a': 1} | length }} {{ [1, 2, 3] | first }} {{ [1, 2, 3] | last }} {{ 'abc' | first }} {{ 'abc' | last }}", {}),
    ("join filter", "{{ [1, 2, 3] | join(', ') }} {{ ['a', 'b'] | join }} {{ users | join(',', attribute='name') }}", {"users": [{"name": "x"}, {"name": "y"}]}),
    ("default filter", "[{{ x | default('d') }}][{{ none | default('d') }}][{{ '' | default('d') }}][{{ '' | default('d', true) }}][{{ 0 | d('z', boolean=true) }}]", {}),
    ("replace filter", "{{ 'aaa' | replace('a', 'b') }} {{ 'aaa' | replace('a', 'b', 2) }} {{ 'abc' | replace('', '-') }}", {}),
    ("map select reject", "{{ users | map(attribute='name') | list }} {{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 2, 3, 4] | reject('odd') | list }} {{ ['a', 'B'] | map('upper') | join }} {{ [0, 1, '', 'a'] | select | list }}", {"users": [{"name": "x"}, {"name": "y"}]}),
    ("selectattr and rejectattr", "{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | list }} {{ messages | rejectattr('role', 'eq', 'user') | list | length }} {{ items | selectattr('on') | map(attribute='n') | list }}", {"messages": MSGS, "items": [{"n": 1, "on": True}, {"n": 2, "on": False}, {"n": 3}]}),
    ("map with default for missing attributes", "{{ items | map(attribute='n', default=0) | list }}", {"items": [{"n": 1}, {}]}),
    ("list items keys values", "{{ 'ab' | list }} {{ d | list }} {{ d | items | list }} {{ d.keys() | list }} {{ d.values() | list }} {{ d.items() | list }}", {"d": {"x": 1, "y": 2}}),
    ("dict get", "{{ d.get('x') }} {{ d.get('z') }} {{ d.get('z', 'dflt') }}", {"d": {"x": 1}}),
    ("sort unique reverse", "{{ [3, 1, 2] | sort }} {{ [3, 1, 2] | sort(reverse=true) }} {{ ['b', 'A', 'c'] | sort }} {{ ['b', 'A', 'c'] | sort(case_sensitive=true) }} {{ users | sort(attribute='age') | map(attribute='name') | join }} {{ [1, 2, 1, 3] | unique | list }} {{ [1, 2, 3] | reverse | list }} {{ 'abc' | reverse }}", {"users": [{"name": "a", "age": 3}, {"name": "b", "age": 1}]}),
    ("dictsort", "{{ d | dictsort }} {{ d | dictsort(by='value') }} {{ d | dictsort(reverse=true) }}", {"d": {"b": 1, "a": 3, "C": 2}}),
    ("numeric filters", "{{ -3 | abs }} {{ '42' | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ 3.9 | int }} {{ '2.5' | float }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.567 | round(2) }} {{ 2.1 | round(0, 'ceil') }} {{ [1, 2, 3] | sum }} {{ [3, 1, 2] | max }} {{ [3, 1, 2] | min }}", {}),
    ("string filter and wordcount", "{{ 12 | string }} {{ none | string }} {{ 'one two  three' | wordcount }}", {}),
    ("indent filter", "[{{ 'a\\nb\\n\\nc' | indent(2) }}][{{ 'a\\nb' | indent(2, true) }}][{{ 'a\\n\\nb' | indent('> ', blank=true) }}]", {}),
    ("truncate and center", "[{{ 'hello world foo bar baz' | truncate(12) }}][{{ 'hello world foo bar baz' | truncate(12, true) }}][{{ 'short' | truncate(10) }}][{{ 'ab' | center(6) }}]", {}),
    ("format filter and percent operator", "{{ '%s-%d' | format('a', 3) }} {{ '%s and %s' % ('x', 'y') }} {{ '%.2f' % 3.14159 }} {{ '100%%' % () }}", {}),
    ("escape and safe", "{{ '<a href=\"x\">&</a>' | e }} {{ '<b>' | safe }}", {}),
    ("attr filter", "{{ d | attr('a') }} [{{ d | attr('zz') }}]", {"d": {"a": 1}}),
    ("pprint filter", "{{ {'a': [1, 'x']} | pprint }}", {}),
    # tojson
    ("tojson is python json dumps", "{{ {'a': 1, 'b': [true, none, 1.5, 'x'], 'c': {}} | tojson }}", {}),
    ("tojson keeps unicode and escapes controls", "{{ 'é😀\"\\\\\\n\\t\\u0001' | tojson }} {{ 'é' | tojson(ensure_ascii=true) }}", {}),
    ("tojson with indent", "{{ {'name': 'f', 'params': {'a': [1, 2], 'e': []}} | tojson(indent=2) }}", {}),
    ("tojson with separators and sort keys", "{{ {'b': 1, 'a': [1, 2]} | tojson(separators=(',', ':'), sort_keys=true) }}", {}),
    ("tojson of floats and big numbers", "{{ [1.0, 0.1, 1e100, 123456789012, -0.0] | tojson }}", {}),
    # string methods
    ("string strip methods", "[{{ '  a  '.strip() }}][{{ '  a  '.lstrip() }}][{{ '  a  '.rstrip() }}][{{ 'xxaxx'.strip('x') }}][{{ '\\n\\ta\\n'.strip() }}]", {}),
    ("string split methods", "{{ 'a b  c'.split() }} {{ 'a,b,,c'.split(',') }} {{ 'a,b,c'.split(',', 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ '<think>x</think>answer'.split('</think>')[-1] }} {{ 'a\\nb\\r\\nc'.splitlines() }}", {}),
    ("string startswith endswith", "{{ 'hello'.startswith('he') }} {{ 'hello'.endswith('lo') }} {{ 'hello'.startswith(('x', 'h')) }} {{ 'hello'.endswith('x') }}", {}),
    ("string case methods", "{{ 'hello world'.upper() }} {{ 'HeLLo'.lower() }} {{ \"they're 1st\".title() }} {{ 'hELLO'.capitalize() }}", {}),
    ("string replace find count", "{{ 'a-b-c'.replace('-', '+') }} {{ 'a-b-c'.replace('-', '', 1) }} {{ 'hello'.find('l') }} {{ 'hello'.rfind('l') }} {{ 'hello'.find('z') }} {{ 'banana'.count('an') }}", {}),
    ("string join and format", "{{ ', '.join(['a', 'b']) }} {{ '{} and {}'.format(1, 'x') }} {{ '{name}!'.format(name='N') }}", {}),
    ("string predicates", "{{ '123'.isdigit() }} {{ 'abc'.isalpha() }} {{ 'a1'.isalnum() }} {{ '  '.isspace() }} {{ 'AB'.isupper() }} {{ 'ab'.islower() }}", {}),
    ("list methods", "{{ [1, 2, 2].count(2) }} {{ ['a', 'b'].index('b') }}", {}),
    # globals
    ("strftime_now uses the clock", "{{ strftime_now('%d %b %Y') }} {{ strftime_now('%Y-%m-%d %H:%M:%S') }} {{ strftime_now('%A %B %-d') }}", {}),
    ("dict global", "{{ dict(a=1, b='x') }}", {}),
    # chat-template idioms
    ("messages slicing idiom", "{% if messages[0]['role'] == 'system' %}{% set system = messages[0]['content'] %}{% set messages = messages[1:] %}{% endif %}{{ system }}|{% for m in messages %}{{ m.role }}:{{ m.content }};{% endfor %}", {"messages": MSGS}),
    ("role alternation check with loop index", "{% for m in messages %}{% if (m['role'] == 'user') != (loop.index0 % 2 == 0) %}bad{% endif %}{{ m['role'] }}{% endfor %}", {"messages": MSGS[1:]}),
    ("content as list of parts", "{% for m in messages %}{% if m.content is string %}{{ m.content }}{% else %}{% for p in m.content %}{% if p.type == 'text' %}{{ p.text }}{% elif p.type == 'image' %}<image>{% endif %}{% endfor %}{% endif %}{% endfor %}", {"messages": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What is this?"}]}]}),
    # more chat-template idioms and corner cases
    ("filters bind tighter than comparisons", "{{ messages | length > 1 }} {{ not messages | length }} {{ -1 | abs }} {{ messages | map(attribute='role') | join(', ') }}", {"messages": MSGS}),
    ("last message and negative indexes", "{{ (messages | last).content }} {{ messages[-1]['role'] }} {{ messages[5] is defined }} {{ [1, 2, 3][1:][0] }}", {"messages": MSGS}),
    ("tuples never equal lists", "{{ (1, 2) == [1, 2] }} {{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1} }} {{ (1,) }} {{ () }}", {}),
    ("division and powers keep python types", "{{ 4 / 2 }} {{ 7.0 // 2 }} {{ 2 ** 0.5 }} {{ 1e300 * 1e10 }} {{ 10 // 3 * 3 }} {{ 2 * 3 ** 2 }} {{ 'a' ~ 1.0 }}", {}),
    ("boolean idioms", "{{ true and 'x' or 'y' }} {{ none is none and 1 }} {{ x is not defined or x }} {{ 'B' < 'a' }} {{ 'x' if messages else 'y' }}", {"messages": []}),
    ("selectattr with in and string building", "{{ messages | selectattr('role', 'in', ['user', 'system']) | list | length }} {{ range(3) | join('-') }} {{ 'Hello %s, you are %d' % ('Ann', 30) }} {{ [3, 1, 2] | sort | first }}", {"messages": MSGS}),
    ("whitespace around loops with minus tags", "<{%- for m in messages %}\n  {{ m.role }}\n{%- endfor %}>\n{% for m in messages -%}\n\t[{{ loop.index }}]\n{% endfor %}", {"messages": MSGS}),
    ("lstrip_blocks strips tabs and comments too", "a\n\t  {# c #}\n\t{% if true %}\nb\n\t{% endif %}\nc", {}),
    ("loop over a dict knows its length", "{% for k in {'a': 1, 'b': 2} %}{{ k }}{{ loop.length }}{% endfor %}", {}),
    ("caller is undefined outside call blocks", "{% macro m() %}{{ caller is defined }}{% endmacro %}{{ m() }}", {}),
    ("dict literals keep the first position of a repeated key", "{{ {'a': 1, 'b': 2, 'a': 3} }} {{ {'a': 1}.a }}", {}),
    ("tojson of line separators and nested indent strings", "{{ '\u2028' | tojson }} {{ {'a': [1, {'b': []}]} | tojson(indent='\t') }}", {}),
    ("int and string conversions", "{{ 1.5 | int }} {{ 123 | string | length }} {{ '  7 ' | int }} {{ '3.9' | int }} {{ true | int }}", {}),
    ("namespace counters in nested loops", "{% set ns = namespace(n=0) %}{% for a in range(3) %}{% for b in range(a) %}{% set ns.n = ns.n + 1 %}{% endfor %}{% endfor %}{{ ns.n }}", {}),
    ("set of a tuple target from a list", "{% set a, b = [1, 2] %}{{ b }}{{ a }}", {}),
    ("strings iterate by code point", "{% for c in 'a😀b' %}[{{ c }}]{% endfor %}{{ 'a😀b' | length }}{{ 'a😀b'[1] }}", {}),
    ("content parts by type with selectattr", "{{ content | selectattr('type', 'equalto', 'text') | map(attribute='text') | join('\n') }}", {"content": [{"type": "text", "text": "a"}, {"type": "image"}, {"type": "text", "text": "b"}]}),
]


def fact(name):
    return name


def main():
    out = []
    for name, template, variables in CASES:
        out.append({"name": name, "template": template, "vars": variables, "expected": render(template, variables)})
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
