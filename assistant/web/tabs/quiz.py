"""The Quiz tab: multiple-choice questions made from the corpus, feedback after each answer with the
cited paragraph, and a score kept for this browser session only (nothing about the person is stored)."""

from __future__ import annotations

import random
from html import escape

import gradio as gr

from assistant.views import Views
from assistant.views.quiz import QuizQuestion
from assistant.web.tabs.common import card, empty

START = "Press “New quiz” to start."


def question_html(q: QuizQuestion, number: int, total: int, seed: int) -> str:
    # The seed is kept out of sight (a trainee needs none) but on the page, to make the same quiz again.
    return (
        f'<p class="quiz-progress" data-seed="{seed}">Question {number} of {total}</p>'
        f'<p class="quiz-prompt"><b>{escape(q.prompt)}</b></p>'
        f'<blockquote class="quiz-text">{escape(q.text)}</blockquote>'
    )


def score_text(state: dict) -> str:
    answered = sum(1 for a in state["answered"] if a is not None)
    total = len(state["questions"])
    return f"**Score: {state['score']} / {answered}** answered ({total} question{'s' if total != 1 else ''})"


class QuizTab:
    def __init__(self, views: Views) -> None:
        self.views = views

    def start(self, n: float | None) -> tuple:
        seed = random.randrange(1_000_000)
        quiz = self.views.quiz.make(max(1, min(int(n or 5), 50)), seed)
        if not quiz.questions:
            return None, empty("The indexed documents are too few to make a quiz."), gr.update(choices=[]), "", ""
        state = {"questions": [q.model_dump() for q in quiz.questions], "i": 0, "score": 0, "seed": seed}
        state["answered"] = [None] * len(quiz.questions)
        return (state, *self._question(state), "", score_text(state))

    def _question(self, state: dict) -> tuple[str, dict]:
        q = QuizQuestion.model_validate(state["questions"][state["i"]])
        radio = gr.update(choices=q.choices, value=None, interactive=True)
        return question_html(q, state["i"] + 1, len(state["questions"]), state.get("seed", 0)), radio

    def check(self, state: dict | None, choice: str | None) -> tuple:
        if not state:
            return state, gr.update(), empty(START), ""
        i = state["i"]
        if state["answered"][i] is not None:
            return state, gr.update(), gr.update(), score_text(state)
        if choice is None:
            return state, gr.update(), empty("Choose an answer first."), score_text(state)
        q = QuizQuestion.model_validate(state["questions"][i])
        right = q.choices[q.answer]
        correct = choice == right
        state = {**state, "answered": [*state["answered"]], "score": state["score"] + int(correct)}
        state["answered"][i] = correct
        verdict = "Right." if correct else f"Not quite: the answer is “{right}”."
        feedback = (
            f'<p class="quiz-verdict {"right" if correct else "wrong"}">{escape(verdict)} '
            f"It is {escape(q.where)}:</p>" + card(q.citation, escape(q.citation.where), open_=True)
        )
        return state, gr.update(interactive=False), feedback, score_text(state)

    def next(self, state: dict | None) -> tuple:
        if not state:
            return state, empty(START), gr.update(), "", ""
        if state["i"] + 1 >= len(state["questions"]):
            total = len(state["questions"])
            done = f'<p class="quiz-done">Quiz finished: {state["score"]} of {total} right.</p>'
            return state, done, gr.update(choices=[], value=None), "", score_text(state)
        state = {**state, "i": state["i"] + 1}
        text, radio = self._question(state)
        return state, text, radio, "", score_text(state)

    def build(self) -> None:
        private = {"api_visibility": "private"}
        state = gr.State(None)
        with gr.Row():
            n = gr.Number(5, label="Questions", minimum=1, maximum=50, precision=0, elem_id="q-n", min_width=100)
            start = gr.Button("New quiz", variant="primary", elem_id="q-start", min_width=100)
        question = gr.HTML(empty(START), elem_id="q-question")
        choices = gr.Radio([], label="Your answer", elem_id="q-choices")
        with gr.Row():
            check = gr.Button("Check answer", elem_id="q-check", min_width=100)
            nxt = gr.Button("Next question", elem_id="q-next", min_width=100)
        feedback = gr.HTML("", elem_id="q-feedback")
        score = gr.Markdown("", elem_id="q-score")
        start.click(self.start, [n], [state, question, choices, feedback, score], **private)
        check.click(self.check, [state, choices], [state, choices, feedback, score], **private)
        nxt.click(self.next, [state], [state, question, choices, feedback, score], **private)
