from django.urls import include, path

from ungkultur.surveys import views, views_answer

app_name = "surveys"
staff = [
    path("", views.index, name="index"),
    path("ny/", views.survey_create, name="survey_create"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/runder/ny/", views.wave_create, name="wave_create"),
    path("runder/<int:pk>/", views.wave_detail, name="wave_detail"),
    path("runder/<int:pk>/apne/", views.wave_open, name="wave_open"),
    path("runder/<int:pk>/steng/", views.wave_close, name="wave_close"),
    path("runder/<int:pk>/koder/ny/", views.batch_create, name="batch_create"),
    path("runder/<int:pk>/lenker/ny/", views.open_link_create, name="open_link_create"),
    path("lenker/<int:pk>/plakat/", views.open_link_poster, name="open_link_poster"),
    path(
        "runder/<int:pk>/informasjonsbrev/ny/",
        views.letter_create,
        name="letter_create",
    ),
    path("kodebunker/<int:pk>/utskrift/", views.batch_print, name="batch_print"),
    path("kodebunker/<int:pk>/glem/", views.batch_forget, name="batch_forget"),
    path("kodebunker/<int:pk>/trekk/", views.batch_void, name="batch_void"),
    path(
        "lenker/<int:pk>/steng/",
        views.open_link_deactivate,
        name="open_link_deactivate",
    ),
    # Questionnaires
    path("skjema/ny/", views.questionnaire_create, name="questionnaire_create"),
    path("skjema/importer/", views.xlsform_import, name="xlsform_import"),
    path("skjema/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("skjema/<int:pk>/endre/", views.questionnaire_edit, name="questionnaire_edit"),
    path("skjema/<int:pk>/kopier/", views.questionnaire_copy, name="questionnaire_copy"),
    path("skjema/<int:pk>/xlsform.xlsx", views.xlsform_export, name="xlsform_export"),
    path("skjema/<int:pk>/deler/ny/", views.section_create, name="section_create"),
    path("skjema/<int:pk>/banken/", views.bank_add, name="bank_add"),
    path(
        "skjema/<int:pk>/lister/ny/",
        views.choice_list_create,
        name="choice_list_create",
    ),
    path("skjema/<int:pk>/del/", views.questionnaire_share, name="questionnaire_share"),
    path("skjema/<int:pk>/kommentarer/", views.comments, name="comments"),
    path("skjema/<int:pk>/kommentarer/svar/", views.comment_answers, name="comment_answers"),
    path("kommentarer/<int:pk>/svar/", views.comment_reply, name="comment_reply"),
    path("kommentarer/<int:pk>/ferdig/", views.comment_resolve, name="comment_resolve"),
    path("deler/<int:pk>/endre/", views.section_edit, name="section_edit"),
    path("deler/<int:pk>/flytt/", views.section_move, name="section_move"),
    path("deler/<int:pk>/slett/", views.section_delete, name="section_delete"),
    path("deler/<int:pk>/sporsmal/ny/", views.question_create, name="question_create"),
    path("sporsmal/<int:pk>/endre/", views.question_edit, name="question_edit"),
    path("sporsmal/<int:pk>/vilkar/", views.question_condition_add, name="question_condition_add"),
    path("sporsmal/<int:pk>/flytt/", views.question_move, name="question_move"),
    path("sporsmal/<int:pk>/slett/", views.question_delete, name="question_delete"),
    path("sporsmal/<int:pk>/rader/ny/", views.grid_item_create, name="grid_item_create"),
    path("sporsmal/<int:pk>/kommenter/", views.comment_add, name="comment_add"),
    path("rader/<int:pk>/slett/", views.grid_item_delete, name="grid_item_delete"),
    path("lister/<int:pk>/", views.choice_list_detail, name="choice_list_detail"),
    path("alternativer/<int:pk>/endre/", views.choice_edit, name="choice_edit"),
    path("alternativer/<int:pk>/flytt/", views.choice_move, name="choice_move"),
    path("alternativer/<int:pk>/slett/", views.choice_delete, name="choice_delete"),
]

urlpatterns = [
    path("undersokelser/", include(staff)),
    # Respondents (anonymous)
    path("svar/", views_answer.answer_start, name="answer_start"),
    path("svar/lenke/<str:token>/", views_answer.answer_link, name="answer_link"),
    # One address for every page: which page follows must not show in a request log.
    path("svar/side/", views_answer.answer_page, name="answer_page"),
    path("svar/tilbake/", views_answer.answer_back, name="answer_back"),
    path("svar/til-side/", views_answer.answer_goto, name="answer_goto"),
    path("svar/sprak/", views_answer.answer_language, name="answer_language"),
    path("svar/send/", views_answer.answer_send, name="answer_send"),
    path("svar/takk/", views_answer.answer_thanks, name="answer_thanks"),
    path("svar/avbryt/", views_answer.answer_forget, name="answer_forget"),
    path("svar/forhandsvis/<int:pk>/", views_answer.answer_preview, name="answer_preview"),
]

try:  # The results pages (results helper) join when their module exists.
    from ungkultur.surveys import urls_results
except ImportError:
    urls_results = None
if urls_results is not None:
    urlpatterns.append(path("", include(urls_results.urlpatterns)))
