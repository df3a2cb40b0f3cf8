import type { FormEvent } from "react";

// A form's onSubmit that hands its FormData to `handle` and keeps what was typed. React resets a form once a function
// passed as its `action` returns, which emptied every field when the browser's check or the server refused the input.
export function keepingValues(handle: (form: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    handle(new FormData(event.currentTarget));
  };
}
