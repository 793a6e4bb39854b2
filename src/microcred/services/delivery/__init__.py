"""Delivery to learners: the claim e-mail and page, the PDF certificate, the baked badge, the
public page and renewal of expiring credentials."""
