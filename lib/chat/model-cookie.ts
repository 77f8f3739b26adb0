/** Remembers the last model a user picked, so a new chat starts with it. */
export const MODEL_COOKIE = "pillbox-model";
