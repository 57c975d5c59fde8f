/**
 * Command output with a size cap: the first and the last halves of the cap are kept (a test
 * run's summary is at the end, a build's first error near the start) and the middle is
 * replaced by a note that says how many bytes were cut. Memory stays bounded whatever the
 * command prints.
 */
export class CappedOutput {
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer[] = [];
  private readonly tail: Buffer[] = [];
  private headBytes = 0;
  private tailBytes = 0;
  /** Bytes the command wrote in all. */
  totalBytes = 0;

  constructor(maxBytes: number) {
    this.headCap = Math.ceil(maxBytes / 2);
    this.tailCap = maxBytes - this.headCap;
  }

  push(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headCap) {
      const take = Math.min(rest.length, this.headCap - this.headBytes);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tailBytes > this.tailCap) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailBytes - this.tailCap;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
      }
    }
  }

  /** Bytes left out of `text()`. */
  get cutBytes(): number {
    return this.totalBytes - this.headBytes - this.tailBytes;
  }

  text(): string {
    if (this.cutBytes === 0) return Buffer.concat([...this.head, ...this.tail]).toString("utf8");
    const note =
      `\n[… ${this.cutBytes} bytes of output cut: showing the first ${this.headBytes} ` +
      `and the last ${this.tailBytes} of ${this.totalBytes} bytes …]\n`;
    return (
      Buffer.concat(this.head).toString("utf8") + note + Buffer.concat(this.tail).toString("utf8")
    );
  }
}
