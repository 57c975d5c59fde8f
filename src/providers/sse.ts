/**
 * A server-sent events reader (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * `\n`, `\r\n` and `\r` line ends, multi-line `data:`, comments, a leading BOM, events split
 * across network chunks. An event is dispatched at its blank line; bytes after the last blank
 * line at end of stream are an incomplete event and are dropped, as the spec says.
 */

export interface SseMessage {
  /** The `event:` field; undefined for plain `data:` streams. */
  event: string | undefined;
  data: string;
}

export async function* readSse(
  body: AsyncIterable<Uint8Array>,
  onChunk?: () => void,
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let first = true;
  let event: string | undefined;
  let data: string[] = [];
  let pendingCR = false;

  function* takeLines(): Generator<string> {
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c === "\n" && pendingCR && i === start) {
        // the \n of a \r\n whose \r ended the previous line
        pendingCR = false;
        start = i + 1;
        continue;
      }
      pendingCR = false;
      if (c === "\r" || c === "\n") {
        yield buffer.slice(start, i);
        if (c === "\r") {
          if (buffer[i + 1] === "\n") i++;
          else if (i + 1 === buffer.length) pendingCR = true;
        }
        start = i + 1;
      }
    }
    buffer = buffer.slice(start);
  }

  for await (const chunk of body) {
    onChunk?.();
    buffer += decoder.decode(chunk, { stream: true });
    if (first && buffer.length > 0) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      first = false;
    }
    for (const line of takeLines()) {
      if (line === "") {
        if (data.length > 0) yield { event, data: data.join("\n") };
        event = undefined;
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") data.push(value);
      else if (field === "event") event = value;
    }
  }
}
