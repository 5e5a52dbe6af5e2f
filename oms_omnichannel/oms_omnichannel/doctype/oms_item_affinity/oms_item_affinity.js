// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

// Rules are computed by the customer analysis (nightly, or Run Customer Analysis); nothing to edit.
frappe.ui.form.on("OMS Item Affinity", {});
