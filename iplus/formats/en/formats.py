# English dates as the site writes them ("4 July 2015"); Chinese ones are Django's own ("2015年7月4日").
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i T"
YEAR_MONTH_FORMAT = "F Y"
