from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from intersector.jobs import services
from intersector.jobs.models import Job

RECENT_JOBS = 50


def _job_for(request, job_id):
    """The job if this person may see it; 404 otherwise, so others can't tell it exists.
    A job whose worker has gone is marked failed here, so no page says it is still running."""
    return services.check_lease(get_object_or_404(Job.objects.visible_to(request.user), pk=job_id))


@require_safe
@login_required
def job_list(request):
    jobs = [services.check_lease(job) for job in Job.objects.filter(owner=request.user)[:RECENT_JOBS]]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@never_cache
@require_safe
@login_required
def job_detail(request, job_id):
    job = _job_for(request, job_id)
    return render(request, "jobs/job_detail.html", {"job": job})


@never_cache
@require_safe
def job_status(request, job_id):
    """The status fragment the job page polls; it stops polling once the job has finished."""
    if not request.user.is_authenticated:
        if request.htmx:
            # A full-page visit to sign in, rather than a sign-in form inside the fragment.
            response = HttpResponse(status=204)
            page = request.htmx.current_url_abs_path or reverse("jobs:detail", args=[job_id])
            response["HX-Redirect"] = redirect_to_login(page).url
            return response
        return redirect_to_login(request.get_full_path())
    job = _job_for(request, job_id)
    return render(request, "jobs/job_detail.html#status", {"job": job, "announce": True})


@never_cache
@require_safe
def job_json(request, job_id):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Sign in to see this job.")}, status=401)
    job = _job_for(request, job_id)
    return JsonResponse(job.as_dict())


@require_POST
@login_required
def job_retry(request, job_id):
    """Try again: the same work as a new job, then that job's page."""
    job = _job_for(request, job_id)
    return redirect(services.retry_job(job, request.user))
