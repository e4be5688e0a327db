"""Rasa's graph runner without dask's scheduler, for the Rasa server.

Every message runs Rasa's model graph twice or more (NLU, then each next-action prediction).
`DaskGraphRunner.run` prunes the graph to the targets and hands it to dask's synchronous
scheduler, whose bookkeeping (task queues, callbacks, dependency maps) costs far more than the
dozen nodes it runs, on every message (docs/performance.md). Here the pruned graph is kept per set
of targets and each needed node is called once, after the nodes it needs, with the same
arguments dask passes: the `(name, output)` pairs of its inputs. During a run the policies share
the conversation's dialogue states (prediction.py).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

from rasa_extensions.patches.prediction import states_shared_within_a_run

DASK_RUN = DaskGraphRunner.run  # Rasa's own, kept for the tests that compare the two


def _needs(runner: DaskGraphRunner, targets: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each node the targets depend on, with the nodes (or inputs) it needs, in order."""
    cache = runner.__dict__.setdefault("_needs_by_targets", {})
    if targets not in cache:
        schema: GraphSchema = runner._graph_schema.minimal_graph_schema(list(targets))
        cache[targets] = {name: tuple(node.needs.values()) for name, node in schema.nodes.items()}
    return cache[targets]


def run_in_order(self: DaskGraphRunner, inputs: dict[str, Any] | None = None,
                 targets: list[str] | None = None) -> dict[str, Any]:
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    needs = _needs(self, run_targets)
    results: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in needs:
            raise GraphRunError(f"Input value '{value}' clashes with a node name. Make sure that "
                                f"none of the input names passed to the `run` method are the "
                                f"same as node names in the graph schema.")
        results[name] = (name, value)

    def output(name: str) -> Any:
        if name not in results:
            results[name] = self._instantiated_nodes[name](*(output(n) for n in needs[name]))
        return results[name]

    try:
        with states_shared_within_a_run():
            return dict(output(target) for target in run_targets)
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
