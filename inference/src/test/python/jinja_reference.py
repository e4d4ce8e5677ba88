"""Renders templates with Python Jinja2 configured exactly as Hugging Face transformers does
(transformers/utils/chat_template_utils.py: ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks,
loopcontrols, tojson = json.dumps(ensure_ascii=False, ...), raise_exception, strftime_now).

Used once to produce the expected strings of Hearth's chat-template tests; the tests themselves never run
Python. Usage: python3 jinja_reference.py (see the functions below).
"""
import json
from datetime import datetime

import jinja2
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

FIXED_NOW = datetime(2024, 9, 5, 14, 30, 0)


class GenerationTracker(Extension):
    # transformers' AssistantTracker: {% generation %}...{% endgeneration %} renders its body.
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def environment():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return FIXED_NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[GenerationTracker, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(source, variables):
    return environment().from_string(source).render(**variables)


if __name__ == "__main__":
    import sys
    case = json.load(sys.stdin)
    try:
        sys.stdout.write(render(case["template"], case.get("vars", {})))
    except Exception as e:  # noqa: BLE001
        sys.stdout.write("ERROR: " + type(e).__name__ + ": " + str(e))
