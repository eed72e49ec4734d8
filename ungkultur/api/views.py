from django.http import JsonResponse


def openapi(request):
    return JsonResponse({})
