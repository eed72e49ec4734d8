"""The reference the benchmarks compare against: one 50-row query and a template."""

from django.shortcuts import render

from ungkultur.catalogue.models import Offer


def reference(request):
    offers = list(Offer.objects.filter(status="published").order_by("pk")[:50])
    return render(request, "bench/reference.html", {"offers": offers})
