import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { CliError } from "./errors";

/** Asks a question on the terminal; with `hidden`, what is typed is not echoed. */
export async function ask(question: string, hidden = false): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new CliError(
      `Cannot prompt for "${question.replace(/:\s*$/, "")}" without a terminal; pass it as an option.`,
      2,
    );
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve) => rl.question(question, resolve));
  muted = hidden;
  const value = await answer;
  rl.close();
  if (hidden) process.stderr.write("\n");
  return value;
}

/** Reads a secret piped on standard input (`--password-stdin`), without its trailing newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}
