"""Return Requests made before they carried a currency take their order's."""

import frappe


def execute():
	frappe.db.sql(
		"""UPDATE `tabReturn Request` r JOIN `tabOMS Order` o ON o.`name` = r.`order`
		SET r.`currency` = o.`currency`
		WHERE IFNULL(r.`currency`, '') = ''"""
	)
