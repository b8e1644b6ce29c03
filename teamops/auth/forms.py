from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from teamops.auth.passwords import MAX_LENGTH


class SignInForm(FlaskForm):
    email = EmailField("Work e-mail address", validators=[DataRequired("Enter your work e-mail address"),
                                                          Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password"),
                                                     Length(max=MAX_LENGTH)])


class SetPasswordForm(FlaskForm):
    new_password = PasswordField("New password", validators=[DataRequired("Enter a new password")])
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Enter the new password again"),
                    EqualTo("new_password", "The passwords do not match")],
    )


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired("Enter your current password")])
