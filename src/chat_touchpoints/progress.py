"""The progress display of `chat-touchpoints build`, instead of dbt's few hundred log lines.

`BuildProgress` is a dbt event callback (`dbtRunner(callbacks=[...])`, passed through
`build.build` and `runner.run_dbt`). In a terminal it draws a progress bar with `rich`: nodes done
of total, the node running, elapsed time. In a non-interactive run (CI, cron: standard error is not
a terminal) it prints one line per layer instead, when the layer is done:

    [   9.8 s] dbt build runs 240 nodes
    [  12.3 s] seeds          3 seeds, 6 tests
    [  31.0 s] staging        22 models, 118 tests
    [  58.4 s] intermediate   20 models, 71 tests, 1 failed

Layers are the folders of `models/` (staging, intermediate, marts, audit, semantic), plus `seeds`;
a test belongs to the layer of the YAML file that declares it, a singular test to the latest layer
it reads. How many nodes each layer has comes from the manifest dbt writes before it starts running
(`<target>/manifest.json`); seeds excluded because a raw file replaced them are subtracted from the
seed layer. A layer that never completes (a selection, a failure that skips nodes) gets its line
when dbt finishes. The build's summary is printed afterwards, as before; `--verbose` gives dbt's
own log lines instead of this display.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

LAYERS = ("seeds", "staging", "intermediate", "marts", "audit", "semantic")
OTHER_LAYER = "other"

# dbt statuses of a finished node, grouped as the layer line counts them.
FAILED = frozenset({"error", "fail", "runtime error"})
SKIPPED = frozenset({"skipped"})
WARNED = frozenset({"warn"})

# The nodes dbt counts in a build's total (hooks are not), as the layer line names them.
KINDS = {
    "model": "model",
    "seed": "seed",
    "snapshot": "snapshot",
    "test": "test",
    "unit_test": "unit test",
    "exposure": "exposure",
    "saved_query": "saved query",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def layer_of_path(path: str) -> str | None:
    """The layer of a project file: `models/<layer>/...`, `seeds/...`; None for other files."""
    parts = Path(path).parts
    if len(parts) >= 2 and parts[0] == "models":
        return parts[1] if parts[1] in LAYERS else OTHER_LAYER
    if parts and parts[0] == "seeds":
        return "seeds"
    return None


def node_layers(manifest: dict[str, Any]) -> dict[str, str]:
    """unique_id -> layer, for every node of a dbt manifest that a build counts: models, seeds,
    tests, unit tests, exposures and saved queries."""
    nodes: dict[str, dict[str, Any]] = {
        **manifest.get("nodes", {}),
        **manifest.get("unit_tests", {}),
        **manifest.get("exposures", {}),
        **manifest.get("saved_queries", {}),
    }
    nodes = {k: n for k, n in nodes.items() if n.get("resource_type") in KINDS}  # no hooks
    layers: dict[str, str] = {}
    for unique_id, node in nodes.items():
        if node.get("resource_type") == "seed":
            layers[unique_id] = "seeds"
            continue
        layer = layer_of_path(node.get("original_file_path", ""))
        if layer is not None:
            layers[unique_id] = layer
    order = {name: i for i, name in enumerate((*LAYERS, OTHER_LAYER))}
    for unique_id, node in nodes.items():
        if unique_id in layers:
            continue
        # A singular test (tests/dbt/): the latest layer among what it reads.
        parents = [layers[p] for p in node.get("depends_on", {}).get("nodes", []) if p in layers]
        layers[unique_id] = max(parents, key=order.__getitem__) if parents else OTHER_LAYER
    return layers


def default_target_path() -> Path:
    """Where dbt writes its artifacts when the build does not say: `$DBT_TARGET_PATH`, else the
    project's `target/` (as `runner.run_dbt` resolves it)."""
    from chat_touchpoints.project import project_dir

    configured = os.environ.get("DBT_TARGET_PATH")
    return Path(configured) if configured else project_dir() / "target"


@dataclass
class LayerState:
    name: str
    expected: int | None = None
    kinds: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    reported: bool = False

    @property
    def done(self) -> int:
        return sum(self.kinds.values())

    def line(self, elapsed: float) -> str:
        kinds = [
            _plural(self.kinds[k], k).replace("querys", "queries")
            for k in KINDS.values()
            if self.kinds[k]
        ]
        text = ", ".join(kinds) or "nothing to run"
        for outcome in ("failed", "warned", "skipped"):
            if self.outcomes[outcome]:
                text += f", {self.outcomes[outcome]} {outcome}"
        if self.expected is not None and self.done < self.expected:
            text += f" ({self.done} of {self.expected} run)"
        return f"[{elapsed:7.1f} s] {self.name:<13}  {text}"


class BuildProgress:
    """A dbt event callback that shows a build's progress; use it as a context manager around
    the build so that the bar is drawn and taken down.

    `interactive`: draw a bar (default: when the console is a terminal); otherwise one line per
    layer. `target_path`: where dbt writes `manifest.json` (default: `default_target_path()`)."""

    def __init__(
        self,
        console: Console | None = None,
        *,
        interactive: bool | None = None,
        target_path: Path | None = None,
    ) -> None:
        self.console = console or Console(stderr=True)
        if interactive is None:
            interactive = self.console.is_terminal and not self.console.is_dumb_terminal
        self.interactive = interactive
        self.target_path = target_path
        self.started = time.perf_counter()
        self.total: int | None = None
        self.layers: dict[str, LayerState] = {}
        self.node_layer: dict[str, str] = {}
        self.running: dict[str, str] = {}
        self.finished: set[str] = set()
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    # -- context manager ---------------------------------------------------------------------

    def __enter__(self) -> BuildProgress:
        self.started = time.perf_counter()
        if self.interactive:
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}", style="bold"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("[dim]{task.fields[running]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("dbt build", total=None, running="starting dbt")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.finish()

    def finish(self) -> None:
        """Report the layers not reported yet and take the bar down."""
        for state in self._ordered_layers():
            if not state.reported and state.done:
                self._report(state)
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    # -- events ------------------------------------------------------------------------------

    def __call__(self, event: Any) -> None:
        name = event.info.name
        try:
            if name == "NodeStart":
                self._started(event.data)
            elif name == "LogStartLine":  # carries dbt's total; exposures log no start line
                self._first_node(event.data)
            elif name in ("NodeFinished", "SkippingDetails"):
                # A node skipped after an upstream failure never logs a start line.
                self._finished(event.data, skipped=name == "SkippingDetails")
        except Exception:  # a display must never break the build
            return

    def _started(self, data: Any) -> None:
        info = data.node_info
        if info.resource_type not in KINDS:
            return  # a hook
        self.running[info.unique_id] = f"{KINDS.get(info.resource_type, info.resource_type)} " + (
            info.node_name
        )
        self._refresh()

    def _first_node(self, data: Any) -> None:
        if self.total is None:
            self.total = int(data.total)
            self._load_layers()
            if self.progress is not None and self.task is not None:
                self.progress.update(self.task, total=self.total)
            else:
                elapsed = time.perf_counter() - self.started
                self.console.print(
                    f"[{elapsed:7.1f} s] dbt build runs {_plural(self.total, 'node')}",
                    highlight=False,
                )

    def _finished(self, data: Any, *, skipped: bool) -> None:
        if skipped:
            self._first_node(data)
        info = data.node_info
        unique_id = info.unique_id
        if unique_id in self.finished or (not skipped and unique_id not in self.running):
            return  # a hook, or a node already counted
        self.finished.add(unique_id)
        self.running.pop(unique_id, None)
        status = "skipped" if skipped else str(info.node_status)
        state = self._layer(self.node_layer.get(unique_id, OTHER_LAYER))
        state.kinds[KINDS.get(info.resource_type, info.resource_type)] += 1
        if status in FAILED:
            state.outcomes["failed"] += 1
        elif status in WARNED:
            state.outcomes["warned"] += 1
        elif status in SKIPPED:
            state.outcomes["skipped"] += 1
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task)
        if state.expected is not None and state.done >= state.expected and not state.reported:
            self._report(state)
        self._refresh()

    # -- helpers -----------------------------------------------------------------------------

    def _load_layers(self) -> None:
        path = (self.target_path or default_target_path()) / "manifest.json"
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # no per-layer totals: every layer is reported when dbt finishes
        self.node_layer = node_layers(manifest)
        expected = Counter(self.node_layer.values())
        # Seeds replaced by raw files (and their tests) are excluded from the run: the seed layer
        # gets whatever the total leaves.
        others = sum(n for layer, n in expected.items() if layer != "seeds")
        if self.total is not None:
            expected["seeds"] = max(0, min(expected["seeds"], self.total - others))
        for layer, n in expected.items():
            self._layer(layer).expected = n

    def _layer(self, name: str) -> LayerState:
        if name not in self.layers:
            self.layers[name] = LayerState(name)
        return self.layers[name]

    def _ordered_layers(self) -> list[LayerState]:
        order = {name: i for i, name in enumerate((*LAYERS, OTHER_LAYER))}
        return sorted(self.layers.values(), key=lambda s: order.get(s.name, len(order)))

    def _report(self, state: LayerState) -> None:
        state.reported = True
        self.console.print(state.line(time.perf_counter() - self.started), highlight=False)

    def _refresh(self) -> None:
        if self.progress is None or self.task is None:
            return
        running = list(self.running.values())
        shown = running[-1] if running else ""
        if len(running) > 1:
            shown += f" (+{len(running) - 1})"
        self.progress.update(self.task, running=shown)
