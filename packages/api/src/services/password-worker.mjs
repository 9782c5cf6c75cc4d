// Runs in a piscina worker thread: bcrypt off the request thread, so a burst of sign-ins does not
// stall other requests.
import bcrypt from "bcryptjs";

export function hash({ password, cost }) {
  return bcrypt.hashSync(password, cost);
}

export function verify({ password, hash }) {
  return bcrypt.compareSync(password, hash);
}
