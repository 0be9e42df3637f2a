import pytest

from cases import workflow


@pytest.mark.parametrize(
    ("process", "answers", "steps", "end"),
    [
        ("licensing", [{"accepted": True}, {"supplement": False}, {}, {"decision": "approve"},
                       {}], ["accept", "review", "inspect", "decide", "deliver"], "approved"),
        ("standard", [{"accepted": True}, {"supplement": False}, {"decision": "reject"}],
         ["accept", "review", "decide"], "rejected"),
        ("standard", [{"accepted": False}], ["accept"], "refused"),
    ],
)  # fmt: skip
def test_processes_survive_saving_between_steps(process, answers, steps, end):
    run = workflow.start(process)
    seen = []
    for answer in answers:
        ((task_id, step),) = workflow.ready_steps(run)
        seen.append(step)
        workflow.complete(run, task_id, answer)
        run = workflow.load(workflow.dump(run))
    assert seen == steps
    assert workflow.end_state(run) == end


def test_supplementation_loops_back_to_review():
    run = workflow.start("standard")
    steps = []
    for answer in [{"accepted": True}, {"supplement": True}, {}, {"supplement": False},
                   {"decision": "approve"}, {}]:  # fmt: skip
        ((task_id, step),) = workflow.ready_steps(run)
        steps.append(step)
        workflow.complete(run, task_id, answer)
        run = workflow.load(workflow.dump(run))
    assert steps == ["accept", "review", "supplement", "review", "decide", "deliver"]
    assert workflow.end_state(run) == "approved"


def test_licences_get_an_inspection():
    assert workflow.process_for("administrative_license") == "licensing"
    assert workflow.process_for("public_service") == "standard"


@pytest.mark.parametrize(
    "expression",
    ["__import__('os').system('true')", "open('/etc/passwd')", "decision.__class__",
     "[x for x in ()]", "(lambda: 1)()"],
)  # fmt: skip
def test_conditions_cannot_run_code(expression):
    with pytest.raises(ValueError, match="not allowed"):
        workflow.ENGINE.environment.evaluate(expression, {"decision": "approve"})
    with pytest.raises(ValueError, match="not allowed"):
        workflow.ENGINE.environment.execute("x = 1", {})


def test_simple_conditions_evaluate():
    env = workflow.ENGINE.environment
    assert env.evaluate('decision == "approve"', {"decision": "approve"}) is True
    assert env.evaluate("accepted == True and not late", {"accepted": True, "late": False})
