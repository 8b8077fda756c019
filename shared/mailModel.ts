/** Mail data as every layer sees it: core, API and renderer. No Node or DOM imports here. */

export interface EmailAddress {
  name: string;
  email: string;
}
