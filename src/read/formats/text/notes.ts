// What the text reader tells the user about how it read the log: each note once, with the lines it is about.

const NAMED_LINES = 3; // enough line numbers to find the rest

export class TextNotes {
  private cutOffLine: number | undefined;
  private readonly deadLines: number[] = [];
  private deadCount = 0;
  private generatorNote: string | undefined;

  cutOff(lineNo: number): void {
    this.cutOffLine = lineNo;
  }

  deadUpdate(lineNo: number): void {
    this.deadCount++;
    if (this.deadLines.length < NAMED_LINES) this.deadLines.push(lineNo);
  }

  /** `terms` are the loss terms the line printed, the generator's first. */
  generator(column: string, terms: string[]): void {
    if (this.generatorNote) return;
    const others = terms.filter((c) => !c.startsWith(column)).join(', ');
    this.generatorNote = `no field is named loss (a GAN loss log): ${column}, the generator's loss, is read as the train loss; ${others} are kept as other columns (--loss NAME reads one of them instead)`;
  }

  /** The notes so far; `noStep` is whether the log printed no step at all. */
  list(facts: { noStep: boolean }): string[] {
    const notes: string[] = [];
    if (this.generatorNote) notes.push(this.generatorNote);
    if (facts.noStep) notes.push('the log prints no step: step N is the Nth train record');
    if (this.deadCount > 0) {
      const more = this.deadCount > this.deadLines.length ? ', ...' : '';
      const noun = this.deadCount === 1 ? 'line' : 'lines';
      notes.push(`${this.deadCount} ${noun} (${this.deadLines.join(', ')}${more}) print a nan grad norm and no loss: the update was lost, so the loss is read as NaN there`);
    }
    if (this.cutOffLine !== undefined) {
      notes.push(`the last line (${this.cutOffLine}) is cut off, as in a log still being written; it was ignored`);
    }
    return notes;
  }
}
