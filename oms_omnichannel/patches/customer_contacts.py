"""Profiles from before emails and phones had their own tables: the profile's email and phone
become its primary rows, in normal form and flagged; shipments get the customer of their order."""

import frappe


def execute():
	for (name,) in frappe.db.sql(
		"SELECT p.`name` FROM `tabCustomer Profile` p WHERE (IFNULL(p.`email`, '')!='' OR IFNULL(p.`phone`, '')!='') "
		"AND NOT EXISTS (SELECT 1 FROM `tabCustomer Profile Email` e WHERE e.`parent`=p.`name`) "
		"AND NOT EXISTS (SELECT 1 FROM `tabCustomer Profile Phone` f WHERE f.`parent`=p.`name`)"
	):
		doc = frappe.get_doc("Customer Profile", name)
		doc.load_doc_before_save()  # unchanged: a stored value that is no longer valid is kept, flagged
		doc.flags.email_checked = True
		doc.run_method("validate")
		doc.db_update_all()
	frappe.db.sql(
		"UPDATE `tabOMS Shipment` s JOIN `tabOMS Order` o ON o.`name`=s.`order` "
		"SET s.`customer`=o.`customer` WHERE s.`customer` IS NULL"
	)
