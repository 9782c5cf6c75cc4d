import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="card narrow">
      <title>Not allowed (403) · mastoc accounts</title>
      <h1>403 — Not allowed</h1>
      <p>Your account does not have permission to see this page.</p>
      <p>
        <Link href="/profile">Back to your settings</Link>
      </p>
    </div>
  );
}
