"""Fault-injection tests (issue 9, reliability under faults): an app-less package, tests only."""
