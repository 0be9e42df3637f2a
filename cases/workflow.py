"""BPMN processes (cases/processes/*.bpmn, drawn in bpmn.io) run by SpiffWorkflow.

The workflow state is saved with the case as JSON. Process files are trusted code, and even
so the script engine is restricted: gateway conditions may use only names, literals,
comparisons and boolean operators; script tasks are refused.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

PROCESSES = Path(__file__).parent / "processes"
# Which process an item kind follows; licensing adds an on-site inspection.
PROCESS_BY_KIND = {"administrative_license": "licensing"}
DEFAULT_PROCESS = "standard"
_ALLOWED = (ast.Expression, ast.Compare, ast.Name, ast.Load, ast.Constant, ast.BoolOp, ast.And,
            ast.Or, ast.UnaryOp, ast.Not, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
            ast.In, ast.NotIn)  # fmt: skip


class RestrictedEnvironment(TaskDataEnvironment):
    """Evaluates simple conditions over the task data; executes nothing."""

    def evaluate(self, expression, context, external_context=None):
        tree = ast.parse(expression, mode="eval")
        for node in ast.walk(tree):
            if not isinstance(node, _ALLOWED):
                raise ValueError(f"not allowed in a condition: {type(node).__name__}")
        names = {**context, **(external_context or {})}
        return eval(compile(tree, "<condition>", "eval"), {"__builtins__": {}}, names)  # noqa: S307

    def execute(self, script, context, external_context=None):
        raise ValueError("script tasks are not allowed in OneStop processes")


ENGINE = PythonScriptEngine(environment=RestrictedEnvironment({}))
_serializer = BpmnWorkflowSerializer()


@cache
def _spec(name: str):
    parser = BpmnParser()
    parser.add_bpmn_file(str(PROCESSES / f"{name}.bpmn"))
    return parser.get_spec(name)


def process_for(kind: str) -> str:
    return PROCESS_BY_KIND.get(kind, DEFAULT_PROCESS)


def start(process: str) -> BpmnWorkflow:
    workflow = BpmnWorkflow(_spec(process), script_engine=ENGINE)
    workflow.do_engine_steps()
    return workflow


def load(state: str) -> BpmnWorkflow:
    workflow = _serializer.deserialize_json(state)
    workflow.script_engine = ENGINE
    return workflow


def dump(workflow: BpmnWorkflow) -> str:
    return _serializer.serialize_json(workflow)


def ready_steps(workflow: BpmnWorkflow) -> list[tuple[str, str]]:
    """(task id, step name) of the user tasks waiting for a person."""
    return [
        (str(t.id), t.task_spec.name)
        for t in workflow.get_tasks(state=TaskState.READY, manual=True)
    ]


def complete(workflow: BpmnWorkflow, task_id: str, data: dict) -> None:
    """Finish one ready user task with ``data`` and run the engine to the next wait."""
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        if str(task.id) == task_id:
            task.data.update(data)
            task.run()
            workflow.do_engine_steps()
            return
    raise LookupError(task_id)


def end_state(workflow: BpmnWorkflow) -> str | None:
    """The end event reached (approved, rejected, refused), or None while running."""
    if not workflow.is_completed():
        return None
    ends = {"approved", "rejected", "refused"}
    done = [t.task_spec.name for t in workflow.get_tasks(state=TaskState.COMPLETED)]
    return next((name for name in done if name in ends), None)
