"""Celery tasks run with the task id as their request id, so their audit records can be traced."""

from celery.signals import task_postrun, task_prerun

from .context import request_id_var

_tokens = {}


@task_prerun.connect
def _set_task_request_id(task_id=None, **kwargs):
    _tokens[task_id] = request_id_var.set(f"task:{task_id}")


@task_postrun.connect
def _reset_task_request_id(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)
