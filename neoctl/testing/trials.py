"""ListTrials with the time filters and sorting moto ignores."""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.sagemaker.models import FakeTrial
from moto.sagemaker.responses import SageMakerResponse

from neoctl.testing import clock
from neoctl.testing.paging import (
    SortKey,
    paginate,
    require_enum,
    require_max_results,
    time_param,
)

SORT_BY = ("Name", "CreationTime")
SORT_ORDER = ("Ascending", "Descending")


def list_trials(self: SageMakerResponse) -> ActionResult:
    # SageMaker's documented defaults for ListTrials differ from ListCompilationJobs:
    # newest first, ten per page.
    sort_by = self._get_param("SortBy") or "CreationTime"
    sort_order = self._get_param("SortOrder") or "Descending"
    max_results = self._get_param("MaxResults")
    require_enum(sort_by, "sortBy", SORT_BY)
    require_enum(sort_order, "sortOrder", SORT_ORDER)
    require_max_results(max_results)
    experiment = self._get_param("ExperimentName")
    component = self._get_param("TrialComponentName")
    created_after = time_param(self, "CreatedAfter")
    created_before = time_param(self, "CreatedBefore")

    def keep(trial: FakeTrial) -> bool:
        created = clock.to_millis(trial.creation_time)
        return not (
            (experiment is not None and trial.experiment_name != experiment)
            or (component is not None and component not in trial.trial_components)
            or (created_after and not created > created_after)
            or (created_before and not created < created_before)
        )

    def sort_key(trial: FakeTrial) -> SortKey:
        if sort_by == "Name":
            return trial.trial_name, trial.trial_name
        return clock.epoch_micros(trial.creation_time), trial.trial_name

    page, token = paginate(
        [trial for trial in list(self.sagemaker_backend.trials.values()) if keep(trial)],
        sort_key,
        descending=sort_order == "Descending",
        max_results=max_results,
        default_max_results=10,
        next_token=self._get_param("NextToken"),
        query={
            "ExperimentName": experiment,
            "TrialComponentName": component,
            "CreatedAfter": created_after,
            "CreatedBefore": created_before,
            "SortBy": sort_by,
            "SortOrder": sort_order,
        },
    )
    summaries = [
        {
            "TrialName": trial.trial_name,
            "TrialArn": trial.arn,
            "DisplayName": trial.trial_name,
            "CreationTime": trial.creation_time,
            "LastModifiedTime": trial.last_modified_time,
        }
        for trial in page
    ]
    return ActionResult({"TrialSummaries": summaries, "NextToken": token})


HANDLERS = {"list_trials": list_trials}
