// Collects what was checked and what failed, and prints it as it goes.

export class Report {
  constructor(write = (line) => console.log(line)) {
    this.write = write;
    this.passed = 0;
    this.failures = [];
  }

  section(title) {
    this.write('');
    this.write(`== ${title}`);
  }

  pass(message) {
    this.passed++;
    this.write(`  ok    ${message}`);
  }

  fail(message) {
    this.failures.push(message);
    this.write(`  FAIL  ${message}`);
  }

  note(message) {
    this.write(`  note  ${message}`);
  }

  get total() {
    return this.passed + this.failures.length;
  }
}

/** A Report that prints nothing (for the self-tests). */
export function silentReport() {
  return new Report(() => {});
}
