"""Cases of ChatTemplateFamiliesTest: a published template, special tokens, a conversation, and the expected
prompt. Regenerate with:

    python3 template_cases.py > ../resources/dev/hearth/inference/chat/template-cases.json
"""
import json
import os
import sys

from jinja_reference import render

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "..", "resources", "dev", "hearth", "inference", "chat", "templates")

CONV = [["user", "Hello"], ["assistant", "Hi there"], ["user", "Who are you"],
        ["assistant", "   I am an assistant   "], ["user", "Another question"]]
SYS = [["system", "You are a helpful assistant"]] + CONV


def msgs(pairs):
    return [{"role": r, "content": c} for r, c in pairs]


# Outputs of transformers' apply_chat_template(add_generation_prompt=True) as published in other projects' tests.
DOCUMENTED = {
    "chatml": "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\nHi there<|im_end|>\n<|im_start|>user\nWho are you<|im_end|>\n<|im_start|>assistant\n   I am an assistant   <|im_end|>\n<|im_start|>user\nAnother question<|im_end|>\n<|im_start|>assistant\n",
    "mistral-7b-instruct-v0.1": "<s>[INST] Hello [/INST]Hi there</s> [INST] Who are you [/INST]   I am an assistant   </s> [INST] Another question [/INST]",
    "llama-2-chat": "<s>[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST] Hi there </s><s>[INST] Who are you [/INST] I am an assistant </s><s>[INST] Another question [/INST]",
    "mixtral-8x7b-instruct-v0.1": "<s>[INST] Hello [/INST]Hi there</s>[INST] Who are you [/INST]   I am an assistant   </s>[INST] Another question [/INST]",
    "gemma-7b-it": "<bos><start_of_turn>user\nHello<end_of_turn>\n<start_of_turn>model\nHi there<end_of_turn>\n<start_of_turn>user\nWho are you<end_of_turn>\n<start_of_turn>model\nI am an assistant<end_of_turn>\n<start_of_turn>user\nAnother question<end_of_turn>\n<start_of_turn>model\n",
    "idefics2-8b-chatty": "System: You are a helpful assistant<end_of_utterance>\nUser:<image>Hello, please describe the above.<end_of_utterance>\nAssistant: Hi there<end_of_utterance>\nUser:<image>This is me, who are you<end_of_utterance>\nAssistant:    I am an assistant   <end_of_utterance>\nUser:<image>Another question, what is this?<end_of_utterance>\nAssistant:",
}

IDEFICS = [
    {"role": "system", "content": [{"type": "text", "text": "You are a helpful assistant"}]},
    {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Hello, please describe the above."}]},
    {"role": "assistant", "content": [{"type": "text", "text": "Hi there"}]},
    {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "This is me, who are you"}]},
    {"role": "assistant", "content": [{"type": "text", "text": "   I am an assistant   "}]},
    {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Another question, what is this?"}]},
]

WEATHER_TOOL = {"type": "function", "function": {
    "name": "get_current_temperature", "description": "Get the current temperature at a location.",
    "parameters": {"type": "object", "properties": {
        "location": {"type": "string", "description": "The location, in the format \"City, Country\""},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "The unit — °C or °F"}},
        "required": ["location", "unit"]}}}
TOOL_CONV = [
    {"role": "system", "content": "You are a bot that responds to weather queries."},
    {"role": "user", "content": "Hey, what's the temperature in Paris right now?"},
    {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {
        "name": "get_current_temperature", "arguments": {"location": "Paris, France", "unit": "celsius"}}}]},
    {"role": "tool", "name": "get_current_temperature", "content": "22.0"},
]

ID_TOOL_CONV = [
    {"role": "user", "content": "Hey, what's the temperature in Paris right now?"},
    {"role": "assistant", "content": None, "reasoning_content": "I need the weather tool.", "tool_calls": [
        {"id": "call9abcdefgh1", "type": "function", "function": {
            "name": "get_current_temperature", "arguments": {"location": "Paris, France", "unit": "celsius"}}}]},
    {"role": "tool", "tool_call_id": "call9abcdefgh1", "content": "22.0"},
    {"role": "assistant", "content": "It is 22 °C in Paris."},
    {"role": "user", "content": "Thanks!"},
]
STRING_ARGS_TOOL_CONV = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Weather in Paris?"},
    {"role": "assistant", "content": None, "tool_calls": [{"type": "function", "function": {
        "name": "get_current_temperature", "arguments": "{\"location\": \"Paris, France\"}"}}]},
    {"role": "tool", "content": "22.0"},
    {"role": "assistant", "content": "<think>look it up</think>22 °C."},
    {"role": "user", "content": "And Rome?"},
]


def case(name, template, messages, bos="<s>", eos="</s>", gen=True, tools=None, extra=None, documented=None):
    with open(os.path.join(TEMPLATES, template + ".jinja"), encoding="utf-8") as f:
        source = f.read()
    variables = {"messages": messages}
    if tools is not None:
        variables["tools"] = tools
    variables["add_generation_prompt"] = gen
    variables["bos_token"] = bos
    variables["eos_token"] = eos
    variables.update(extra or {})
    try:
        expected = render(source, variables)
        error = None
    except Exception as e:  # noqa: BLE001 - the template's own raise_exception
        expected = None
        error = str(e)
    if documented is not None and expected != documented:
        raise SystemExit("reference differs from the documented output for " + name)
    return {"name": name, "template": template, "bos": bos, "eos": eos, "addGenerationPrompt": gen,
            "messages": messages, "tools": tools, "extra": extra or {}, "expected": expected, "error": error,
            "documented": documented is not None}


def cases():
    out = [
        case("chatml renders the documented conversation", "chatml", msgs(SYS), documented=DOCUMENTED["chatml"]),
        case("mistral v0.1 renders the documented conversation", "mistral-7b-instruct-v0.1", msgs(CONV),
             documented=DOCUMENTED["mistral-7b-instruct-v0.1"]),
        case("mistral refuses roles that do not alternate", "mistral-7b-instruct-v0.1", msgs(CONV[:1] + CONV[:1])),
        case("mixtral renders the documented conversation", "mixtral-8x7b-instruct-v0.1", msgs(CONV),
             documented=DOCUMENTED["mixtral-8x7b-instruct-v0.1"]),
        case("llama 2 puts the system prompt in the first instruction", "llama-2-chat", msgs(SYS),
             documented=DOCUMENTED["llama-2-chat"]),
        case("gemma maps assistant to model and trims", "gemma-7b-it", msgs(CONV), bos="<bos>", eos="<eos>",
             documented=DOCUMENTED["gemma-7b-it"]),
        case("gemma refuses a system message", "gemma-7b-it", msgs(SYS), bos="<bos>", eos="<eos>"),
        case("idefics2 renders content parts with images", "idefics2-8b-chatty", IDEFICS,
             documented=DOCUMENTED["idefics2-8b-chatty"]),
        case("phi 3 with generation prompt", "phi-3-mini-4k-instruct", msgs(SYS), eos="<|endoftext|>"),
        case("phi 3 without generation prompt ends with eos", "phi-3-mini-4k-instruct", msgs(SYS[:3]),
             eos="<|endoftext|>", gen=False),
        case("zephyr renders with trim and lstrip blocks", "zephyr-7b-beta", msgs(SYS)),
        case("zephyr without generation prompt", "zephyr-7b-beta", msgs(SYS[:3]), gen=False),
        case("qwen 2.5 adds its default system prompt", "qwen2.5-instruct", msgs(CONV), bos="", eos="<|im_end|>"),
        case("qwen 2.5 with a system prompt", "qwen2.5-instruct", msgs(SYS), bos="", eos="<|im_end|>"),
        case("qwen 2.5 with tools, a tool call and a tool response", "qwen2.5-instruct", TOOL_CONV,
             bos="", eos="<|im_end|>", tools=[WEATHER_TOOL]),
        case("deepseek r1 distill drops the thinking of earlier answers", "deepseek-r1-distill",
             msgs([["system", "Be brief."], ["user", "2+2?"], ["assistant", "<think>\nadd\n</think>\n\n4"],
                   ["user", "3+3?"]]), bos="<｜begin▁of▁sentence｜>", eos="<｜end▁of▁sentence｜>"),
        case("llama 3.1 with its default date", "llama-3.1-instruct", msgs(SYS), bos="<|begin_of_text|>",
             eos="<|eot_id|>"),
        case("llama 3.1 with a date string", "llama-3.1-instruct", msgs(CONV), bos="<|begin_of_text|>",
             eos="<|eot_id|>", extra={"date_string": "05 Sep 2024"}),
        case("llama 3.1 with tools in the first user message and a tool call", "llama-3.1-instruct", TOOL_CONV,
             bos="<|begin_of_text|>", eos="<|eot_id|>", tools=[WEATHER_TOOL]),
        case("llama 3.1 with tools in the system message", "llama-3.1-instruct", TOOL_CONV,
             bos="<|begin_of_text|>", eos="<|eot_id|>", tools=[WEATHER_TOOL], extra={"tools_in_user_message": False}),
        case("llama 3.1 with builtin tools", "llama-3.1-instruct", msgs(SYS[:2]),
             bos="<|begin_of_text|>", eos="<|eot_id|>", extra={"builtin_tools": ["brave_search", "wolfram_alpha"]}),
        case("llama 3.2 takes today's date from strftime_now", "llama-3.2-instruct", msgs(SYS),
             bos="<|begin_of_text|>", eos="<|eot_id|>"),
        case("phi 4 mini with a system prompt", "phi-4-mini-instruct", msgs(SYS), bos="<|endoftext|>",
             eos="<|endoftext|>"),
        case("phi 4 mini with tools and a tool call", "phi-4-mini-instruct", TOOL_CONV, bos="<|endoftext|>",
             eos="<|endoftext|>", tools=[WEATHER_TOOL], gen=False),
        case("deepseek v3.1 without thinking", "deepseek-v3.1", STRING_ARGS_TOOL_CONV,
             bos="<｜begin▁of▁sentence｜>", eos="<｜end▁of▁sentence｜>"),
        case("deepseek v3.1 with thinking", "deepseek-v3.1", msgs(SYS), bos="<｜begin▁of▁sentence｜>",
             eos="<｜end▁of▁sentence｜>", extra={"enable_thinking": True}),
        case("mistral small 3.1 writes its default system prompt with today's date",
             "mistral-small-3.1-24b-instruct-2503", msgs(CONV)),
        case("mistral small 3.1 with tools, tool call ids and results", "mistral-small-3.1-24b-instruct-2503",
             ID_TOOL_CONV, tools=[WEATHER_TOOL]),
        case("mistral small 3.1 with image blocks", "mistral-small-3.1-24b-instruct-2503",
             [{"role": "system", "content": [{"type": "text", "text": "Describe images."}]},
              {"role": "user", "content": [{"type": "text", "text": "What is this?"}, {"type": "image"}]}]),
        case("command r7b with a developer preamble", "command-r7b-12-2024-tool-use", msgs(SYS),
             bos="<BOS_TOKEN>", eos="<|END_OF_TURN_TOKEN|>"),
        case("command r7b with tools, reasoning, tool results and documents", "command-r7b-12-2024-tool-use",
             ID_TOOL_CONV, bos="<BOS_TOKEN>", eos="<|END_OF_TURN_TOKEN|>", tools=[WEATHER_TOOL],
             extra={"documents": [{"title": "Paris", "text": "Paris is the capital of France."}],
                    "enable_citations": True}),
    ]
    return out


if __name__ == "__main__":
    json.dump(cases(), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
