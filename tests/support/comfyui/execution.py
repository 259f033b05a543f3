"""Prompt validation and execution as ComfyUI does them: the same error types and messages, the same websocket
messages in the same order (execution_start, execution_cached, executing, progress + preview frames, executed,
execution_success | execution_error | execution_interrupted, then executing with node None), outputs cached
between prompts, and a history entry per prompt."""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.comfyui.nodes import FLOAT, INT, STRING, Interrupted, NodeClass, RunContext

Send = Callable[[str, dict[str, Any], bool], None]  # event, data, broadcast


@dataclass
class QueueItem:
    number: float
    prompt_id: str
    prompt: dict[str, Any]
    extra_data: dict[str, Any]
    outputs: list[str]

    def as_list(self) -> list[Any]:
        return [self.number, self.prompt_id, self.prompt, self.extra_data, self.outputs]


def _is_link(value: Any) -> bool:
    return isinstance(value, list)


def _error(kind: str, message: str, details: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "message": message, "details": details, "extra_info": extra}


class Validation:
    """validate_prompt: (valid, error, outputs to execute, node_errors), as POST /prompt answers them."""

    def __init__(self, prompt: dict[str, Any], classes: dict[str, NodeClass], context: Callable[[str], RunContext]):
        self.prompt = prompt
        self.classes = classes
        self.context = context
        self.validated: dict[str, tuple[bool, list[dict[str, Any]]]] = {}

    def run(self) -> tuple[bool, dict[str, Any] | None, list[str], dict[str, Any]]:
        outputs = []
        for node_id, node in self.prompt.items():
            if not isinstance(node, dict) or "class_type" not in node:
                message = "Cannot execute because a node is missing the class_type property."
                return False, _error("invalid_prompt", message, f"Node ID '#{node_id}'"), [], {}
            node_class = self.classes.get(node["class_type"])
            if node_class is None:
                message = f"Cannot execute because node {node['class_type']} does not exist."
                return False, _error("invalid_prompt", message, f"Node ID '#{node_id}'"), [], {}
            if node_class.output_node:
                outputs.append(node_id)
        if not outputs:
            return False, _error("prompt_no_outputs", "Prompt has no outputs", ""), [], {}
        good, node_errors, failures = [], {}, []
        for output in outputs:
            if self._inputs(output)[0]:
                good.append(output)
                continue
            for node_id, (valid, reasons) in self.validated.items():
                if not valid and reasons:
                    failures.extend(reasons)
                    entry = node_errors.setdefault(
                        node_id,
                        {"errors": reasons, "dependent_outputs": [], "class_type": self.prompt[node_id]["class_type"]},
                    )
                    entry["dependent_outputs"].append(output)
        if not good:
            details = "\n".join(f"{r['message']}: {r['details']}" for r in failures)
            error = _error("prompt_outputs_failed_validation", "Prompt outputs failed validation", details)
            return False, error, [], node_errors
        return True, None, good, node_errors

    def _inputs(self, node_id: str) -> tuple[bool, list[dict[str, Any]]]:
        if node_id in self.validated:
            return self.validated[node_id]
        node = self.prompt[node_id]
        node_class = self.classes[node["class_type"]]
        inputs, errors, valid = node["inputs"], [], True
        for name, spec in node_class.required.items():
            if name not in inputs:
                errors.append(_error("required_input_missing", "Required input is missing", name, input_name=name))
                continue
            value, wanted = inputs[name], spec[0]
            if _is_link(value):
                source = self.prompt.get(value[0]) if len(value) == 2 else None
                if source is None:
                    errors.append(
                        _error(
                            "bad_linked_input",
                            "Bad linked input, must be a length-2 list of [node_id, slot_index]",
                            name,
                            input_name=name,
                            received_value=value,
                        )
                    )
                    continue
                returns = self.classes[source["class_type"]].returns
                received = returns[value[1]] if value[1] < len(returns) else None
                if received != wanted:
                    errors.append(
                        _error(
                            "return_type_mismatch",
                            "Return type mismatch between linked nodes",
                            f"{name}, {received} != {wanted}",
                            input_name=name,
                        )
                    )
                    continue
                valid = self._inputs(value[0])[0] and valid
                continue
            problem = self._literal(name, value, spec, inputs)
            if problem is not None:
                errors.append(problem)
        if node_class.validate is not None and not errors:
            message = node_class.validate(self.context(node_id), inputs)
            if message is not None:
                errors.append(
                    _error(
                        "custom_validation_failed",
                        "Custom validation failed for node",
                        f"image - {message}",
                        input_name="image",
                    )
                )
        result = (valid and not errors, errors)
        self.validated[node_id] = result
        return result

    @staticmethod
    def _literal(name: str, value: Any, spec: tuple[Any, ...], inputs: dict[str, Any]) -> dict[str, Any] | None:
        wanted, options = spec[0], spec[1] if len(spec) > 1 else {}
        converters: dict[Any, Callable[[Any], Any]] = {INT: int, FLOAT: float, STRING: str}
        if isinstance(wanted, str) and wanted in converters:
            try:
                value = inputs[name] = converters[wanted](value)
            except (TypeError, ValueError) as exc:
                return _error(
                    "invalid_input_type",
                    f"Failed to convert an input value to a {wanted} value",
                    f"{name}, {value}, {exc}",
                    input_name=name,
                )
        if "min" in options and value < options["min"]:
            return _error("value_smaller_than_min", f"Value {value} smaller than min of {options['min']}", name)
        if "max" in options and value > options["max"]:
            return _error("value_bigger_than_max", f"Value {value} bigger than max of {options['max']}", name)
        if isinstance(wanted, list) and wanted and value not in wanted:
            return _error("value_not_in_list", "Value not in list", f"{name}: '{value}' not in {wanted}")
        return None


@dataclass
class Executor:
    """Runs one prompt at a time, keeping each node's outputs for the next prompt while its inputs stay the same."""

    classes: dict[str, NodeClass]
    context: Callable[[str, str, dict[str, Any], Callable[[int, int, bytes | None], None]], RunContext]
    send: Send
    fail_classes: dict[str, str] = field(default_factory=dict)
    cache: dict[str, tuple[str, tuple[Any, ...], dict[str, Any] | None]] = field(default_factory=dict)

    def execute(self, item: QueueItem) -> tuple[dict[str, Any], dict[str, Any]]:
        """Returns (ui outputs by node, status) for the history entry."""
        prompt, prompt_id = item.prompt, item.prompt_id
        messages: list[list[Any]] = []

        def message(event: str, data: dict[str, Any], broadcast: bool = False) -> None:
            data = {**data, "timestamp": int(time.time() * 1000)}
            messages.append([event, data])
            self.send(event, data, broadcast)

        message("execution_start", {"prompt_id": prompt_id})
        signatures = {node_id: self._signature(prompt, node_id) for node_id in prompt}
        cached = [n for n in prompt if n in self.cache and self.cache[n][0] == signatures[n]]
        message("execution_cached", {"nodes": cached, "prompt_id": prompt_id})
        results = {n: self.cache[n][1] for n in cached}
        ui = {n: self.cache[n][2] for n in cached if self.cache[n][2] is not None}
        executed: list[str] = []
        running = ""
        try:
            for output in item.outputs:
                for node_id in self._order(prompt, output, results):
                    running = node_id
                    self._run(prompt, prompt_id, node_id, signatures[node_id], results, ui)
                    executed.append(node_id)
        except Interrupted:
            node_type = prompt[running]["class_type"]
            message(
                "execution_interrupted",
                {"prompt_id": prompt_id, "node_id": running, "node_type": node_type, "executed": executed},
                broadcast=True,
            )
            return ui, {"status_str": "error", "completed": False, "messages": messages}
        except Exception as exc:
            message("execution_error", {
                "prompt_id": prompt_id, "node_id": running, "node_type": prompt[running]["class_type"],
                "executed": executed, "exception_message": f"{exc}\n", "exception_type": type(exc).__qualname__,
                "traceback": traceback.format_tb(exc.__traceback__),
                "current_inputs": {k: [repr(v)] for k, v in prompt[running]["inputs"].items()},
                "current_outputs": list(results)})  # fmt: skip
            return ui, {"status_str": "error", "completed": False, "messages": messages}
        message("execution_success", {"prompt_id": prompt_id})
        return ui, {"status_str": "success", "completed": True, "messages": messages}

    def _order(self, prompt: dict[str, Any], output: str, done: dict[str, Any]) -> list[str]:
        order: list[str] = []

        def visit(node_id: str) -> None:
            if node_id in done or node_id in order:
                return
            for value in prompt[node_id]["inputs"].values():
                if _is_link(value):
                    visit(value[0])
            order.append(node_id)

        visit(output)
        return order

    def _run(self, prompt: dict[str, Any], prompt_id: str, node_id: str, signature: str,
             results: dict[str, tuple[Any, ...]], ui: dict[str, Any]) -> None:  # fmt: skip
        node = prompt[node_id]
        node_class = self.classes[node["class_type"]]
        self.send("executing", {"node": node_id, "display_node": node_id, "prompt_id": prompt_id}, False)

        def progress(value: int, maximum: int, preview: bytes | None) -> None:
            self.send("progress", {"value": value, "max": maximum, "prompt_id": prompt_id, "node": node_id}, False)
            if preview is not None:
                self.send("preview", {"jpeg": preview}, False)

        context = self.context(prompt_id, node_id, prompt, progress)
        values = {k: results[v[0]][v[1]] if _is_link(v) else v for k, v in node["inputs"].items()}
        if node["class_type"] in self.fail_classes:
            raise RuntimeError(self.fail_classes[node["class_type"]])
        produced, shown = node_class.run(context, values)
        results[node_id] = produced
        self.cache[node_id] = (signature, produced, shown)
        if shown is not None:
            ui[node_id] = shown
            self.send(
                "executed", {"node": node_id, "display_node": node_id, "output": shown, "prompt_id": prompt_id}, False
            )

    def _signature(self, prompt: dict[str, Any], node_id: str) -> str:
        node = prompt[node_id]
        inputs = {
            k: self._signature(prompt, v[0]) + f"#{v[1]}" if _is_link(v) else v for k, v in node["inputs"].items()
        }
        return json.dumps([node["class_type"], inputs], sort_keys=True)


def folder_of(root: Path, kind: str | None) -> Path | None:
    """ComfyUI's folder for a file `type`: input, output or temp."""
    return {"input": root / "input", "output": root / "output", "temp": root / "temp"}.get(kind or "output")
