from datetime import datetime
from typing import Any, Optional
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Router, Schema

from intersector.api.routers.me import ErrorOut
from intersector.jobs.models import Job
from intersector.jobs.services import check_lease
from intersector.refusals import Refused

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: UUID
    kind: str
    label: str
    status: str
    status_label: str
    done: int
    total: Optional[int]
    percent: Optional[int]
    message: str
    result: Any
    result_url: Optional[str]
    error: str
    created: datetime
    started: Optional[datetime]
    finished: Optional[datetime]
    url: str


@router.get(
    "/jobs/{id}",
    response={200: JobOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Job progress",
    description="How far a background job has got. Only its owner and staff can see a job.",
)
def job_progress(request, id: UUID):  # noqa: A002 - the address says {id}
    job = Job.objects.visible_to(request.auth).filter(pk=id).first()
    if job is None:
        # The same answer whether the job exists or not, so ids can't be probed.
        raise Refused(_("We could not find that job."), status=404)
    return check_lease(job).as_dict()
