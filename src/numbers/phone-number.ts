/**
 * What polylink takes for a phone number from outside (a request, an API call, the
 * organisation file): digits with an optional leading +, as written, leading zeros kept.
 * One definition, so a number one door accepts is never refused by another.
 */
export const PHONE_NUMBER = /^\+?[0-9]{1,32}$/;
