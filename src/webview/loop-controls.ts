// The Step slider and its buttons: <input type=range> named "Step" by its
// <label> (0 = nothing computed yet, s > 0 = entry s − 1 current), previous /
// next, play / pause and a Speed select. Keys on the slider: arrows ±1,
// Page Up / Down ±10 %, Home / End — handled here so they behave the same
// everywhere, reported through `onStep`.

import { h } from './dom';
import { DEFAULT_SPEED, SPEEDS } from './loop-player';

export interface StepControlsEvents {
  /** The user asked for `step` (already clamped). */
  onStep(step: number): void;
  onTogglePlay(): void;
  onSpeed(stepsPerSecond: number): void;
}

export class StepControls {
  readonly node: HTMLElement;
  readonly slider: HTMLInputElement;
  private readonly output: HTMLOutputElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly play: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private steps = 0;
  private step = 0;

  constructor(doc: Document, private readonly events: StepControlsEvents) {
    this.slider = h(doc, 'input', { className: 'step-slider', attrs: { type: 'range', id: 'loop-step', min: '0', max: '0', step: '1', value: '0' } });
    const label = h(doc, 'label', { className: 'step-label', text: 'Step', attrs: { for: 'loop-step' } });
    this.output = h(doc, 'output', { className: 'step-output', attrs: { for: 'loop-step', id: 'loop-step-output' } });
    this.prev = h(doc, 'button', { className: 'secondary', text: '◀', attrs: { type: 'button', id: 'loop-prev', 'aria-label': 'Previous step', title: 'Previous step' } });
    this.next = h(doc, 'button', { className: 'secondary', text: '▶', attrs: { type: 'button', id: 'loop-next', 'aria-label': 'Next step', title: 'Next step' } });
    this.play = h(doc, 'button', { className: 'play', text: 'Play', attrs: { type: 'button', id: 'loop-play', title: 'Play / pause the steps' } });
    this.speed = h(doc, 'select', { attrs: { id: 'loop-speed' } });
    for (const s of SPEEDS) {
      const option = h(doc, 'option', { text: `${s} / s`, attrs: { value: String(s) } });
      if (s === DEFAULT_SPEED) option.selected = true;
      this.speed.appendChild(option);
    }
    const speedLabel = h(doc, 'label', { className: 'speed-label', text: 'Speed', attrs: { for: 'loop-speed' } });

    this.slider.addEventListener('input', () => this.events.onStep(this.clamp(Number(this.slider.value))));
    this.slider.addEventListener('keydown', (e) => this.onKey(e));
    this.prev.addEventListener('click', () => this.events.onStep(this.clamp(this.step - 1)));
    this.next.addEventListener('click', () => this.events.onStep(this.clamp(this.step + 1)));
    this.play.addEventListener('click', () => this.events.onTogglePlay());
    this.speed.addEventListener('change', () => this.events.onSpeed(Number(this.speed.value)));

    const sliderRow = h(doc, 'div', { className: 'step-row' }, [label, this.slider, this.output]);
    const buttons = h(doc, 'div', { className: 'step-buttons' }, [this.prev, this.play, this.next, speedLabel, this.speed]);
    this.node = h(doc, 'div', { className: 'step-controls' }, [sliderRow, buttons]);
  }

  setSteps(steps: number): void {
    this.steps = steps;
    this.slider.max = String(steps);
  }

  /** Shows `step` (and describes it to screen readers with `valueText`). */
  show(step: number, valueText: string): void {
    this.step = step;
    if (this.slider.value !== String(step)) this.slider.value = String(step);
    this.slider.setAttribute('aria-valuetext', valueText);
    this.output.textContent = `${step} / ${this.steps}`;
    this.prev.disabled = step <= 0;
    this.next.disabled = step >= this.steps;
  }

  showPlaying(playing: boolean): void {
    // The label says what a press does (no aria-pressed: the name changes instead).
    this.play.textContent = playing ? 'Pause' : 'Play';
  }

  private clamp(step: number): number {
    return Number.isFinite(step) ? Math.max(0, Math.min(this.steps, Math.round(step))) : this.step;
  }

  private onKey(e: KeyboardEvent): void {
    const big = Math.max(1, Math.round(this.steps / 10));
    let to: number;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowUp':
        to = this.step + 1;
        break;
      case 'ArrowLeft':
      case 'ArrowDown':
        to = this.step - 1;
        break;
      case 'PageUp':
        to = this.step + big;
        break;
      case 'PageDown':
        to = this.step - big;
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = this.steps;
        break;
      default:
        return;
    }
    e.preventDefault();
    this.events.onStep(this.clamp(to));
  }
}
