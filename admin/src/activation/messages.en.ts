/** First sign-in with an activation code (English). */
export default {
  app: {
    activation: {
      download: "Download the activation codes (%{count})",
      sheet_help: "The %{count} new accounts have no password: each has a one-time activation code, valid for 14 days. Download the sheet and hand each code to its holder; they set their own password with \"Use your activation code\" on the sign-in page.",
      reissue: "New activation code",
      reissue_title: "New activation code for %{name}",
      reissue_confirm: "Issue a new one-time activation code (valid for 14 days); the earlier code stops working, and the current password keeps working until the new code is used. The code is shown only this once.",
      reissued_help: "Hand the code to its holder in person; valid until %{until} (Beijing time). It cannot be shown again once closed.",
      link: "First sign-in? Use your activation code",
      title: "First sign-in with an activation code",
      help: "When an administrator imports your account you receive a one-time activation code. Enter your username and the code, and choose your own password.",
      code: "Activation code",
      password: "Choose a password",
      password_help: "At least %{min} characters, known only to you",
      repeat: "Repeat the password",
      mismatch: "The two passwords differ",
      submit: "Set password and sign in",
      back: "Back to sign-in",
      refused: "Wrong username or activation code, or the code was used or has expired. Ask your administrator for a new code.",
      invalid: "Check the entries: the username has letters, digits, _ . - only, the code 16 letters and digits, the password at least 10 characters.",
      signin_failed: "Your password is set, but signing in failed: sign in with the new password.",
    },
  },
};
